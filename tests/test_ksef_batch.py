"""crm_invoicing_pl_ksef.tools.ksef_batch: the package of a KSeF batch session."""

import base64
import hashlib
import io
import json
import os
import pathlib
import subprocess
import zipfile

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from odoo.addons.crm_invoicing_pl_ksef.tools import ksef_batch
from odoo.addons.crm_invoicing_pl_ksef.tools.ksef_batch import (
    MAX_INVOICES,
    MAX_PART_BYTES,
    BatchLimitError,
    build_package,
    build_zip,
    decrypt,
    encrypt,
    encrypt_key,
    entry_bound,
    open_request,
    plan_sessions,
    session_results,
    split_parts,
)

ROOT = pathlib.Path(__file__).resolve().parents[1]
KEY = bytes(range(32))
IV = bytes(range(16))


# The schemas of the open request, copied from ../shared/specs/ksef/open-api.json
# (the Ministry's KSeF 2.0 OpenAPI, 670 kB): the tests run wherever the
# repository is cloned; test_spec_copy_is_the_shared_spec checks the copy.
SPEC_COPY = ROOT / "tests" / "data" / "ksef_open_api_batch.json"


def _spec():
    return json.loads(SPEC_COPY.read_text())


def _shared_spec():
    """The whole spec beside the repository (or beside the main checkout of
    a git worktree), None when it is not there."""
    roots = [ROOT]
    common = subprocess.run(
        ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if common:
        roots.append(pathlib.Path(common).parent)
    for root in roots:
        path = root.parent / "shared" / "specs" / "ksef" / "open-api.json"
        if path.exists():
            return json.loads(path.read_text())
    return None


def test_spec_copy_is_the_shared_spec():
    shared = _shared_spec()
    if shared is None:
        return
    schemas = _spec()["components"]["schemas"]
    assert schemas == {name: shared["components"]["schemas"][name] for name in schemas}


def _xml(number):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Faktura xmlns="http://crd.gov.pl/wzor/2025/06/25/13775/">'
        f"<Fa><P_2>FV/{number}/12/2026</P_2></Fa></Faktura>"
    ).encode()


def _files(count):
    return [(f"FV_{n}_12_2026.xml", _xml(n)) for n in range(1, count + 1)]


def _sha(data):
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def _unpack(package, key=KEY, iv=IV):
    """What KSeF does: decrypt each part, join them, open the ZIP."""
    joined = b"".join(decrypt(part, key, iv) for part in package.parts)
    with zipfile.ZipFile(io.BytesIO(joined)) as archive:
        return joined, {name: archive.read(name) for name in archive.namelist()}


def test_roundtrip_of_one_part():
    files = _files(3)
    package = build_package(files, KEY, IV)
    joined, unpacked = _unpack(package)
    assert unpacked == dict(files)
    assert joined == package.zip_bytes
    assert package.names == [name for name, _xml in files]
    assert len(package.parts) == 1


def test_roundtrip_of_many_parts_and_declared_hashes_and_sizes():
    files = [(f"f{n}.xml", os.urandom(3000)) for n in range(20)]  # incompressible
    package = build_package(files, KEY, IV, part_size=10_000)
    assert len(package.parts) == -(-len(package.zip_bytes) // 10_000) > 1
    joined, unpacked = _unpack(package)
    assert unpacked == dict(files)
    declared = package.batch_file
    assert declared["fileSize"] == len(package.zip_bytes) == len(joined)
    assert declared["fileHash"] == _sha(package.zip_bytes)
    assert [p["ordinalNumber"] for p in declared["fileParts"]] == list(
        range(1, len(package.parts) + 1)
    )
    for info, part in zip(declared["fileParts"], package.parts, strict=True):
        # Hash and size of the encrypted part (BatchFilePartInfo).
        assert info["fileSize"] == len(part)
        assert info["fileHash"] == _sha(part)
        # AES-CBC with PKCS#7: padded to whole 16-byte blocks.
        assert len(part) % 16 == 0
    # Each part but the last is exactly the part size before encryption.
    plain = [decrypt(part, KEY, IV) for part in package.parts]
    assert {len(p) for p in plain[:-1]} == {10_000}
    assert 0 < len(plain[-1]) <= 10_000


def test_zip_is_reproducible():
    """Same files, same ZIP: a resumed session re-uploads the same parts."""
    assert build_zip(_files(5)) == build_zip(_files(5))
    first = build_package(_files(5), KEY, IV)
    second = build_package(_files(5), KEY, IV)
    assert first.batch_file == second.batch_file
    assert first.parts == second.parts


def test_resumed_package_from_the_stored_zip_is_the_same():
    files = _files(4)
    first = build_package(files, KEY, IV, part_size=300)
    again = ksef_batch.encrypt_zip(first.zip_bytes, KEY, IV, part_size=300)
    assert again.parts == first.parts
    assert again.batch_file == first.batch_file
    assert again.names == first.names
    assert ksef_batch.zip_hashes(first.zip_bytes) == {
        name: _sha(xml) for name, xml in files
    }


def test_encrypt_is_aes_256_cbc_pkcs7():
    assert decrypt(encrypt(b"abc", KEY, IV), KEY, IV) == b"abc"
    assert len(encrypt(b"x" * 16, KEY, IV)) == 32  # a full padding block
    assert encrypt(b"abc", KEY, IV) != encrypt(b"abc", KEY, bytes(16))
    with pytest.raises(ValueError):
        encrypt(b"abc", KEY[:16], IV)  # AES-128 key refused


def test_split_parts():
    assert split_parts(b"abcdefg", 3) == [b"abc", b"def", b"g"]
    assert split_parts(b"abcdef", 3) == [b"abc", b"def"]
    assert split_parts(b"", 3) == []
    with pytest.raises(ValueError):
        split_parts(b"abc", 0)


def test_open_request_has_the_shape_of_the_spec():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    package = build_package(_files(2), KEY, IV)
    body = open_request(package.batch_file, encrypt_key(private.public_key(), KEY), IV)
    spec = _spec()["components"]["schemas"]
    request = spec["OpenBatchSessionRequest"]
    assert set(request["required"]) <= set(body)
    assert set(body) <= set(request["properties"])
    assert set(spec["BatchFileInfo"]["required"]) <= set(body["batchFile"])
    assert set(body["batchFile"]) <= set(spec["BatchFileInfo"]["properties"])
    for part in body["batchFile"]["fileParts"]:
        assert set(part) == set(spec["BatchFilePartInfo"]["required"])
    assert set(spec["EncryptionInfo"]["required"]) <= set(body["encryption"])
    assert body["formCode"] == {
        "systemCode": "FA (3)",
        "schemaVersion": "1-0E",
        "value": "FA",
    }
    # The key can be read back only with the Ministry's private key.
    key = private.decrypt(
        base64.b64decode(body["encryption"]["encryptedSymmetricKey"]),
        padding.OAEP(
            mgf=padding.MGF1(algorithm=hashes.SHA256()),
            algorithm=hashes.SHA256(),
            label=None,
        ),
    )
    assert key == KEY
    assert base64.b64decode(body["encryption"]["initializationVector"]) == IV
    assert body["offlineMode"] is False


def test_spec_limits_are_the_ones_enforced():
    spec = _spec()["components"]["schemas"]
    batch_file = spec["BatchFileInfo"]["properties"]
    assert batch_file["fileParts"]["maxItems"] == ksef_batch.MAX_PARTS == 50
    assert batch_file["fileSize"]["maximum"] == ksef_batch.MAX_PACKAGE_BYTES
    assert "100MB" in batch_file["fileParts"]["description"]
    assert MAX_PART_BYTES == 100_000_000


def _code(call, *args, **kwargs):
    with pytest.raises(BatchLimitError) as info:
        call(*args, **kwargs)
    return info.value.code


def test_limits():
    assert _code(build_package, [], KEY, IV) == "empty"
    assert _code(build_package, _files(4), KEY, IV, max_invoices=3) == (
        "too_many_invoices"
    )
    names = [(f"{n}.xml", b"<a/>") for n in range(MAX_INVOICES + 1)]
    assert _code(ksef_batch.check_names, [n for n, _x in names]) == (
        "too_many_invoices"
    )
    assert _code(build_package, [("a.xml", b"1"), ("a.xml", b"2")], KEY, IV) == (
        "duplicate_name"
    )
    assert _code(build_package, [("x/a.xml", b"1")], KEY, IV) == "bad_name"
    assert _code(build_package, [("a" * 129, b"1")], KEY, IV) == "bad_name"
    assert _code(build_package, _files(1), KEY, IV, part_size=MAX_PART_BYTES + 1) == (
        "part_too_large"
    )
    random_files = [(f"f{n}.xml", os.urandom(2000)) for n in range(10)]
    assert _code(build_package, random_files, KEY, IV, part_size=1000, max_parts=5) == (
        "too_many_parts"
    )
    # Exactly at the limits: accepted.
    package = build_package(_files(3), KEY, IV, max_invoices=3)
    assert len(package.names) == 3
    error = pytest.raises(
        BatchLimitError, build_package, _files(4), KEY, IV, max_invoices=3
    )
    assert "at most 3 invoices, not 4" in str(error.value)


def test_package_too_large(monkeypatch):
    monkeypatch.setattr(ksef_batch, "MAX_PACKAGE_BYTES", 100)
    assert _code(build_package, [("a.xml", os.urandom(500))], KEY, IV) == (
        "package_too_large"
    )


def test_plan_sessions_by_count():
    files = [(f"{n}.xml", 1000) for n in range(25_001)]
    plan = plan_sessions(files)
    assert [len(session) for session in plan] == [10_000, 10_000, 5_001]
    assert [i for session in plan for i in session] == list(range(25_001))
    assert plan_sessions([]) == []


def test_plan_sessions_by_size_and_every_package_fits():
    files = [(f"f{n}.xml", os.urandom(5000)) for n in range(30)]
    limit = 4 * 8192  # 4 parts of 8 KB
    plan = plan_sessions(
        [(name, len(content)) for name, content in files], max_bytes=limit
    )
    assert len(plan) > 1
    assert [i for session in plan for i in session] == list(range(30))
    for session in plan:
        package = build_package(
            [files[i] for i in session], KEY, IV, part_size=8192, max_parts=4
        )
        assert len(package.zip_bytes) <= limit
        assert (
            sum(entry_bound(*files[i][:1], len(files[i][1])) for i in session) + 22
            <= limit
        )


def test_plan_sessions_refuses_an_invoice_too_large_for_any_session():
    assert _code(plan_sessions, [("big.xml", 10_000)], max_bytes=5000) == (
        "invoice_too_large"
    )


def test_session_results_by_file_name_then_by_hash():
    sent = {"a.xml": "HA", "b.xml": "HB", "c.xml": "HC", "d.xml": "HD"}
    invoices = [
        {"invoiceFileName": "b.xml", "invoiceHash": "HB", "status": {"code": 200}},
        {"invoiceHash": "HA", "status": {"code": 450}},  # no file name
        {"invoiceFileName": "zzz.xml", "invoiceHash": "HZ", "status": {"code": 200}},
        {"invoiceFileName": "c.xml", "invoiceHash": "HC", "status": {"code": 430}},
    ]
    results = session_results(sent, invoices)
    assert {name: entry["status"]["code"] for name, entry in results.items()} == {
        "a.xml": 450,
        "b.xml": 200,
        "c.xml": 430,
    }
    # Two files with the same content are told apart by their order.
    same = session_results(
        {"x.xml": "H", "y.xml": "H"},
        [{"invoiceHash": "H", "n": 1}, {"invoiceHash": "H", "n": 2}],
    )
    assert same["x.xml"]["n"] == 1
    assert same["y.xml"]["n"] == 2
