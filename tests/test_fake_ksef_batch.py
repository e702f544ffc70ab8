"""The fake KSeF's batch sessions (crm_pl_testing.fake_ksef), as the
spec defines them: the package declared at the opening and checked against
the limits, the parts uploaded to the addresses given, the close, the status
and the session's invoices; the client side is tools/ksef_batch.py."""

import os
import time

import pytest
import requests
from crm_pl_testing.fake_ksef import FakeKsef
from odoo.addons.crm_invoicing_pl_ksef.tools import ksef_batch

NIP = "5260250274"
TOKEN = "access.test"


def _xml(number, seller=NIP):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Faktura xmlns="http://crd.gov.pl/wzor/2025/06/25/13775/">'
        f"<Podmiot1><DaneIdentyfikacyjne><NIP>{seller}</NIP></DaneIdentyfikacyjne>"
        f"</Podmiot1><Fa><P_1>2026-12-01</P_1><P_2>{number}</P_2></Fa></Faktura>"
    ).encode()


@pytest.fixture
def fake():
    server = FakeKsef(nip=NIP)
    with server as url:
        server.access_tokens.add(TOKEN)
        server.api = url
        yield server


def _call(fake, method, path, **kwargs):
    headers = {"Authorization": f"Bearer {TOKEN}", **kwargs.pop("headers", {})}
    return requests.request(
        method, f"{fake.api}{path}", headers=headers, timeout=10, **kwargs
    )


def _package(count=3, part_size=ksef_batch.MAX_PART_BYTES):
    key, iv = os.urandom(32), os.urandom(16)
    files = [(f"FV_{n}.xml", _xml(f"FV/{n}/A")) for n in range(1, count + 1)]
    return key, iv, ksef_batch.build_package(files, key, iv, part_size=part_size)


def _open(fake, key, iv, package):
    body = ksef_batch.open_request(
        package.batch_file,
        ksef_batch.encrypt_key(fake.private_key.public_key(), key),
        iv,
    )
    return _call(fake, "POST", "/sessions/batch", json=body)


def _upload(package, answer):
    for request in answer["partUploadRequests"]:
        response = requests.request(
            request["method"],
            request["url"],
            data=package.parts[request["ordinalNumber"] - 1],
            headers=request["headers"],
            timeout=10,
        )
        assert response.status_code == 201


def test_batch_session_end_to_end(fake):
    key, iv, package = _package(count=25, part_size=500)
    assert len(package.parts) > 1
    fake.batch_reject = {"FV/2/A": (430, "Błąd schematu")}
    response = _open(fake, key, iv, package)
    assert response.status_code == 201
    answer = response.json()
    session = answer["referenceNumber"]
    assert "-SB-" in session
    assert [r["ordinalNumber"] for r in answer["partUploadRequests"]] == list(
        range(1, len(package.parts) + 1)
    )
    assert all(r["url"].startswith(fake.base_url) for r in answer["partUploadRequests"])
    status = _call(fake, "GET", f"/sessions/{session}").json()["status"]
    assert status["code"] == 100
    _upload(package, answer)
    assert _call(fake, "POST", f"/sessions/batch/{session}/close").status_code == 204
    status = _call(fake, "GET", f"/sessions/{session}").json()
    assert status["status"]["code"] == 200
    assert (status["successfulInvoiceCount"], status["failedInvoiceCount"]) == (24, 1)
    # The list by pages of 10 (the smallest page), with a continuation token.
    entries, token = [], None
    while True:
        headers = {"x-continuation-token": token} if token else {}
        page = _call(
            fake,
            "GET",
            f"/sessions/{session}/invoices",
            params={"pageSize": 10},
            headers=headers,
        ).json()
        assert len(page["invoices"]) <= 10
        entries += page["invoices"]
        token = page["continuationToken"]
        if not token:
            break
    assert len(entries) == 25
    results = ksef_batch.session_results(
        ksef_batch.zip_hashes(package.zip_bytes), entries
    )
    assert set(results) == set(package.names)
    assert results["FV_2.xml"]["status"]["code"] == 430
    assert results["FV_2.xml"]["status"]["details"] == ["Błąd schematu"]
    accepted = results["FV_1.xml"]
    assert accepted["status"]["code"] == 200
    assert accepted["ksefNumber"].startswith(NIP)
    upo = _call(
        fake,
        "GET",
        f"/sessions/{session}/invoices/{accepted['referenceNumber']}/upo",
    )
    assert upo.status_code == 200
    assert accepted["ksefNumber"].encode() in upo.content
    # The download address of the list: KSeF's storage, no access token,
    # the UPO's SHA-256 in x-ms-meta-hash.
    download = requests.get(accepted["upoDownloadUrl"], timeout=5)
    assert accepted["ksefNumber"].encode() in download.content
    assert download.headers["x-ms-meta-hash"] == ksef_batch.sha256_b64(download.content)


def test_open_checks_the_declared_package(fake):
    key, iv, package = _package()
    too_many = dict(package.batch_file)
    too_many["fileParts"] = [
        {"ordinalNumber": n, "fileSize": 16, "fileHash": "A" * 43 + "="}
        for n in range(1, 52)
    ]
    response = _open(fake, key, iv, ksef_batch.BatchPackage(b"", [], too_many))
    assert response.status_code == 400
    code = response.json()["exception"]["exceptionDetailList"][0]["exceptionCode"]
    assert code == 21161
    too_large = dict(package.batch_file)
    too_large["fileParts"] = [
        {"ordinalNumber": 1, "fileSize": 100_000_017, "fileHash": "A" * 43 + "="}
    ]
    response = _open(fake, key, iv, ksef_batch.BatchPackage(b"", [], too_large))
    code = response.json()["exception"]["exceptionDetailList"][0]["exceptionCode"]
    assert code == 21157
    missing = {"fileSize": 10, "fileHash": "A" * 43 + "="}  # no parts
    response = _open(fake, key, iv, ksef_batch.BatchPackage(b"", [], missing))
    assert response.status_code == 400
    body = ksef_batch.open_request(package.batch_file, "bm90IGEga2V5", iv)
    response = _call(fake, "POST", "/sessions/batch", json=body)
    assert "klucza" in response.text
    assert not [s for s in fake.sessions.values() if "batch" in s]
    # Without an access token: 401.
    assert (
        requests.post(f"{fake.api}/sessions/batch", json={}, timeout=5).status_code
        == 401
    )


def test_upload_and_close_are_checked(fake):
    key, iv, package = _package(count=6, part_size=400)
    answer = _open(fake, key, iv, package).json()
    session = answer["referenceNumber"]
    first = answer["partUploadRequests"][0]
    bad = requests.put(first["url"], data=b"x" * len(package.parts[0]), timeout=5)
    assert bad.status_code == 400
    response = _call(fake, "POST", f"/sessions/batch/{session}/close")
    code = response.json()["exception"]["exceptionDetailList"][0]["exceptionCode"]
    assert code == 21205
    _upload(package, answer)
    assert _call(fake, "POST", f"/sessions/batch/{session}/close").status_code == 204
    # Closed: no more uploads, no second close.
    late = requests.put(first["url"], data=package.parts[0], timeout=5)
    assert late.status_code == 403
    response = _call(fake, "POST", f"/sessions/batch/{session}/close")
    code = response.json()["exception"]["exceptionDetailList"][0]["exceptionCode"]
    assert code == 21180


def test_timed_out_session_is_cancelled(fake):
    fake.batch_timeout = True
    key, iv, package = _package()
    answer = _open(fake, key, iv, package).json()
    _upload(package, answer)
    session = answer["referenceNumber"]
    response = _call(fake, "POST", f"/sessions/batch/{session}/close")
    code = response.json()["exception"]["exceptionDetailList"][0]["exceptionCode"]
    assert code == 21208
    status = _call(fake, "GET", f"/sessions/{session}").json()["status"]
    assert (status["code"], status["details"]) == (440, ["Przekroczono czas wysyłki"])
    assert not fake.invoices


def test_processing_takes_polls_and_wrong_key_is_reported(fake):
    fake.batch_processing_polls = 2
    key, iv, package = _package()
    answer = _open(fake, key, iv, package).json()
    _upload(package, answer)
    session = answer["referenceNumber"]
    _call(fake, "POST", f"/sessions/batch/{session}/close")
    codes = [
        _call(fake, "GET", f"/sessions/{session}").json()["status"]["code"]
        for _poll in range(3)
    ]
    assert codes == [150, 150, 200]
    # Parts encrypted with another key than the one declared: 435.
    other = os.urandom(32)
    parts = [
        ksef_batch.encrypt(ksef_batch.decrypt(part, key, iv), other, iv)
        for part in package.parts
    ]
    wrong = ksef_batch.encrypt_zip(package.zip_bytes, other, iv)
    answer = _open(fake, key, iv, wrong).json()
    assert parts == wrong.parts
    _upload(wrong, answer)
    session = answer["referenceNumber"]
    _call(fake, "POST", f"/sessions/batch/{session}/close")
    fake.batch_processing_polls = 0
    status = _call(fake, "GET", f"/sessions/{session}").json()["status"]
    assert status["code"] in (405, 435)


def test_latency_delays_each_answer(fake):
    fake.latency = 0.2
    start = time.monotonic()
    _call(fake, "GET", "/sessions/unknown")
    assert time.monotonic() - start >= 0.2
