"""The package of a KSeF batch session (``POST /sessions/batch``), Odoo-free.

KSeF API 2.0 (``../shared/specs/ksef/open-api.json``, *Wysyłka wsadowa*):

- the invoices' FA(3) XML files go into one ZIP file (``build_zip``);
- the ZIP is cut into parts of at most 100 MB before encryption
  (``split_parts``), at most 50 parts, a package of at most 5 GB and at most
  10 000 invoices a session;
- each part is encrypted with AES-256-CBC (PKCS#7 padding) with the
  session's symmetric key and initialisation vector (``encrypt``); the key
  is encrypted for the Ministry with RSA-OAEP / SHA-256, as for an online
  session (``encrypt_key``);
- the open request (``open_request``) declares the ZIP's size and SHA-256
  (``batchFile.fileSize`` / ``fileHash``) and, per part, the size and SHA-256
  of the *encrypted* part (``fileParts``).

``build_package`` does all of it and enforces the limits, raising
``BatchLimitError`` with a code (``empty``, ``too_many_invoices``,
``duplicate_name``, ``too_many_parts``, ``part_too_large``,
``package_too_large``, ``invoice_too_large``); ``plan_sessions`` splits a
long list of invoices into sessions that stay under the limits.
``session_results`` pairs KSeF's list of a session's invoices with the files
sent (by file name, else by the invoice's SHA-256).
"""

import base64
import hashlib
import io
import zipfile
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes, padding as sym_padding
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

# "Maksymalny dozwolony rozmiar części przed zaszyfrowaniem to 100MB": read
# as 100 * 10^6 bytes, the smaller of the two readings.
MAX_PART_BYTES = 100_000_000
MAX_PARTS = 50
MAX_INVOICES = 10_000
# BatchFileInfo.fileSize: "Maksymalny rozmiar paczki to 5GB".
MAX_PACKAGE_BYTES = 5_000_000_000
MAX_FILE_NAME = 128  # SessionInvoiceStatusResponse.invoiceFileName
FORM_CODE = {"systemCode": "FA (3)", "schemaVersion": "1-0E", "value": "FA"}
KEY_BYTES = 32
IV_BYTES = 16
# A ZIP entry costs its local header (30 bytes + name) and its central
# directory record (46 bytes + name); the archive ends with 22 bytes.
_ZIP_ENTRY_OVERHEAD = 30 + 46
_ZIP_END = 22
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed: the same files give the same ZIP
_OAEP = padding.OAEP(
    mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)


class BatchLimitError(ValueError):
    """A KSeF batch limit is exceeded; ``code`` says which."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


@dataclass
class BatchPackage:
    """A package ready to be declared (``batch_file``) and uploaded (``parts``)."""

    zip_bytes: bytes
    parts: list = field(default_factory=list)  # encrypted parts, in order
    batch_file: dict = field(default_factory=dict)  # OpenBatchSessionRequest.batchFile
    names: list = field(default_factory=list)  # the files, in the ZIP's order


def sha256_b64(data):
    """SHA-256 in Base64, as KSeF's ``Sha256HashBase64``."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def check_names(names, max_invoices=MAX_INVOICES):
    """Refuse an empty list, too many invoices, bad or repeated file names."""
    if not names:
        raise BatchLimitError("empty", "A KSeF batch needs at least one invoice.")
    if len(names) > max_invoices:
        raise BatchLimitError(
            "too_many_invoices",
            f"A KSeF batch session holds at most {max_invoices} invoices, "
            f"not {len(names)}.",
        )
    seen = set()
    for name in names:
        if not name or len(name) > MAX_FILE_NAME or "/" in name or "\\" in name:
            raise BatchLimitError(
                "bad_name",
                f"Invalid invoice file name in a KSeF batch: {name!r} (1 to "
                f"{MAX_FILE_NAME} characters, no folders).",
            )
        if name in seen:
            raise BatchLimitError(
                "duplicate_name", f"Two invoices of a KSeF batch are named {name}."
            )
        seen.add(name)


def build_zip(files):
    """A ZIP of ``(file name, XML bytes)`` pairs, in their order; reproducible."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def split_parts(data, part_size=MAX_PART_BYTES):
    """``data`` cut into consecutive parts of at most ``part_size`` bytes."""
    if part_size < 1:
        raise ValueError("part_size must be positive")
    return [data[start : start + part_size] for start in range(0, len(data), part_size)]


def _cipher(key, iv):
    if len(key) != KEY_BYTES or len(iv) != IV_BYTES:
        raise ValueError("AES-256-CBC needs a 32-byte key and a 16-byte IV")
    return Cipher(algorithms.AES(key), modes.CBC(iv))


def encrypt(data, key, iv):
    """AES-256-CBC with PKCS#7 padding."""
    padder = sym_padding.PKCS7(128).padder()
    padded = padder.update(data) + padder.finalize()
    encryptor = _cipher(key, iv).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def decrypt(data, key, iv):
    """The inverse of ``encrypt``."""
    decryptor = _cipher(key, iv).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = sym_padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


def encrypt_key(public_key, key):
    """The symmetric key encrypted for KSeF (RSA-OAEP, SHA-256), in Base64."""
    return base64.b64encode(public_key.encrypt(key, _OAEP)).decode("ascii")


def build_package(
    files,
    key,
    iv,
    part_size=MAX_PART_BYTES,
    max_parts=MAX_PARTS,
    max_invoices=MAX_INVOICES,
):
    """The encrypted package of ``(file name, XML bytes)`` pairs, limits checked."""
    files = list(files)
    names = [name for name, _content in files]
    check_names(names, max_invoices=max_invoices)
    if part_size > MAX_PART_BYTES:
        raise BatchLimitError(
            "part_too_large",
            f"A part of a KSeF batch is at most {MAX_PART_BYTES} bytes before "
            f"encryption, not {part_size}.",
        )
    package = encrypt_zip(build_zip(files), key, iv, part_size, max_parts)
    package.names = names
    return package


def encrypt_zip(zip_bytes, key, iv, part_size=MAX_PART_BYTES, max_parts=MAX_PARTS):
    """The package of a ZIP already built: its parts encrypted and declared.

    The same ZIP, key and IV give the same parts: a session opened earlier
    is resumed with the parts it declared.
    """
    if len(zip_bytes) > MAX_PACKAGE_BYTES:
        raise BatchLimitError(
            "package_too_large",
            f"A KSeF batch package is at most {MAX_PACKAGE_BYTES} bytes, not "
            f"{len(zip_bytes)}.",
        )
    plain_parts = split_parts(zip_bytes, part_size)
    if len(plain_parts) > max_parts:
        raise BatchLimitError(
            "too_many_parts",
            f"A KSeF batch package has at most {max_parts} parts, not "
            f"{len(plain_parts)}: send fewer invoices in the session.",
        )
    parts = [encrypt(part, key, iv) for part in plain_parts]
    batch_file = {
        "fileSize": len(zip_bytes),
        "fileHash": sha256_b64(zip_bytes),
        "fileParts": [
            {
                "ordinalNumber": number,
                "fileSize": len(part),
                "fileHash": sha256_b64(part),
            }
            for number, part in enumerate(parts, start=1)
        ],
    }
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        names = archive.namelist()
    return BatchPackage(
        zip_bytes=zip_bytes, parts=parts, batch_file=batch_file, names=names
    )


def zip_hashes(zip_bytes):
    """SHA-256 (Base64) of each file of a ZIP, by file name."""
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        return {name: sha256_b64(archive.read(name)) for name in archive.namelist()}


def open_request(batch_file, encrypted_key, iv, public_key_id=None, offline=False):
    """The body of ``POST /sessions/batch`` (OpenBatchSessionRequest)."""
    encryption = {
        "encryptedSymmetricKey": encrypted_key,
        "initializationVector": base64.b64encode(iv).decode("ascii"),
    }
    if public_key_id:
        encryption["publicKeyId"] = public_key_id
    return {
        "formCode": dict(FORM_CODE),
        "batchFile": batch_file,
        "encryption": encryption,
        "offlineMode": bool(offline),
    }


def entry_bound(name, size):
    """The most bytes a file of ``size`` bytes can take in the ZIP."""
    # Deflate never grows data by more than 5 bytes per 16 KB block + 6.
    return size + 5 * (size // 16384 + 1) + 6 + _ZIP_ENTRY_OVERHEAD + 2 * len(name)


def plan_sessions(
    files,
    max_invoices=MAX_INVOICES,
    max_bytes=MAX_PARTS * MAX_PART_BYTES,
):
    """Split ``(file name, size)`` pairs into sessions under the limits.

    Returns lists of indexes into ``files``, in order. A session's ZIP is
    bounded by the sum of ``entry_bound`` of its files, so every session's
    package fits in ``max_bytes`` (by default 50 parts of 100 MB) whatever
    the compression achieves.
    """
    sessions, current, used = [], [], _ZIP_END
    for index, (name, size) in enumerate(files):
        bound = entry_bound(name, size)
        if bound + _ZIP_END > max_bytes:
            raise BatchLimitError(
                "invoice_too_large",
                f"The invoice {name} ({size} bytes) does not fit in a KSeF batch.",
            )
        if current and (len(current) >= max_invoices or used + bound > max_bytes):
            sessions.append(current)
            current, used = [], _ZIP_END
        current.append(index)
        used += bound
    if current:
        sessions.append(current)
    return sessions


def session_results(sent, invoices):
    """KSeF's entries of a session's invoices, by the name of the file sent.

    ``sent`` maps file names to the SHA-256 (Base64) of their XML;
    ``invoices`` is KSeF's ``SessionInvoicesResponse.invoices`` (all pages).
    An entry is matched by its ``invoiceFileName``, else by its
    ``invoiceHash``. Files KSeF does not list are left out.
    """
    by_hash = {}
    for name, digest in sent.items():
        by_hash.setdefault(digest, []).append(name)
    results = {}
    for entry in invoices:
        name = entry.get("invoiceFileName")
        if name not in sent:
            candidates = [
                other
                for other in by_hash.get(entry.get("invoiceHash"), ())
                if other not in results
            ]
            name = candidates[0] if candidates else None
        if name and name not in results:
            results[name] = entry
    return results
