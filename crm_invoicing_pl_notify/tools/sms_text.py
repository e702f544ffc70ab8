"""SMS text helpers: length and the one-segment SMS announcing a document.

Pure Python, no Odoo. A message that fits the GSM 03.38 7-bit alphabet takes
160 characters in one segment (153 per segment when split, characters of the
extension table count twice); any other character, Polish diacritics
included, switches the whole message to UCS-2: 70 characters, 67 per segment.
The SMS leave through Odoo's ``sms`` queue and the company's SMS provider
(Odoo IAP, or the HTTP gateway of ``sms_http_gateway_pl``).
"""

import re
import unicodedata

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

_SPACES = re.compile(r"\s+")
_FOLD = str.maketrans(
    {
        "ą": "a", "ć": "c", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s",
        "ź": "z", "ż": "z", "Ą": "A", "Ć": "C", "Ę": "E", "Ł": "L", "Ń": "N",
        "Ó": "O", "Ś": "S", "Ź": "Z", "Ż": "Z",
        "–": "-", "—": "-", "„": '"', "”": '"', "“": '"', "‘": "'", "’": "'",
        "…": "...",
    }
)  # fmt: skip


def is_gsm7(text):
    """True when ``text`` fits the GSM 03.38 7-bit alphabet."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def sms_length(text):
    """Return the length of ``text`` in its encoding's units: septets
    (GSM-7, an extension character counting two) or UTF-16 code units
    (UCS-2)."""
    if is_gsm7(text):
        return sum(2 if char in GSM7_EXTENSION else 1 for char in text)
    return sum(len(char.encode("utf-16-le")) // 2 for char in text)


def fold_to_gsm7(text):
    """Replace Polish diacritics and typographic signs by GSM-7 look-alikes.

    Characters with no GSM-7 equivalent are kept (the text then stays UCS-2).
    """
    out = []
    for char in _normalize_spaces(text).translate(_FOLD):
        if char not in GSM7_BASIC and char not in GSM7_EXTENSION:
            base = unicodedata.normalize("NFKD", char)[:1]
            if base and base != char and base in GSM7_BASIC:
                char = base
        out.append(char)
    return "".join(out)


def sms_text_for_document(
    doc_title,
    number,
    amount_text,
    link,
    max_len=160,
    max_len_ucs2=None,
    fold_diacritics=True,
):
    """Build a one-segment SMS announcing a document and its link.

    "Faktura VAT FV/1/11/2026 na kwotę 1 234,56 zł: https://..." must fit
    ``max_len`` GSM-7 characters, or ``max_len_ucs2`` UCS-2 characters when a
    character (a Polish diacritic) forces UCS-2; ``max_len_ucs2`` defaults to
    the same payload, ``max_len * 7 // 16`` (70 for 160). When it does not
    fit, the diacritics are folded first (``fold_diacritics``: "kwote ...
    zl", GSM-7 again), then whole parts of the text are dropped, never cut in
    the middle (an amount is never shortened into another amount): the
    amount, then the title's words after the first one, then the number;
    at worst the SMS is the link alone. The link is never shortened:
    ValueError when it does not fit on its own.
    """
    link = (link or "").strip()
    if not link:
        raise ValueError("An SMS for a document needs a link")
    if max_len_ucs2 is None:
        max_len_ucs2 = max_len * 7 // 16
    words = _normalize_spaces(doc_title or "").split()
    number = _normalize_spaces(number or "")
    amount = _normalize_spaces(amount_text or "")
    amount = f"na kwotę {amount}" if amount else ""
    for parts in (
        [*words, number, amount],
        [*words, number],
        [*words[:1], number],
        words,
        words[:1],
        [],
    ):
        head = " ".join(part for part in parts if part)
        candidates = [head, fold_to_gsm7(head)] if fold_diacritics else [head]
        for candidate in candidates:
            message = f"{candidate}: {link}" if candidate else link
            if _fits(message, max_len, max_len_ucs2):
                return message
    raise ValueError(f"The link alone does not fit in one SMS: {link!r}")


def _normalize_spaces(text):
    """Collapse whitespace, no-break and thin spaces included, to one space."""
    return _SPACES.sub(" ", str(text)).strip()


def _fits(message, max_len, max_len_ucs2):
    limit = max_len if is_gsm7(message) else max_len_ucs2
    return sms_length(message) <= limit
