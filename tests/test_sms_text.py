import pytest
from odoo.addons.crm_invoicing_pl_notify.tools.sms_text import (
    fold_to_gsm7,
    is_gsm7,
    sms_length,
    sms_text_for_document,
)

LINK = "https://crm.example.pl/my/invoices/42?access_token=a1b2c3d4"


def one_segment(text):
    """Whether ``text`` is sent as one SMS: 160 GSM-7 characters (the
    extension table's count twice), else 70 UCS-2 units."""
    return sms_length(text) <= (160 if is_gsm7(text) else 70)


# --- length and text ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "gsm7", "length"),
    [
        ("", True, 0),
        ("a" * 160, True, 160),
        ("a" * 161, True, 161),
        ("a" * 306, True, 306),
        ("a" * 307, True, 307),
        ("€" * 80, True, 160),  # extension table: two septets each
        ("€" * 81, True, 162),
        ("a" * 152 + "€" + "a" * 10, True, 164),
        ("a" * 152 + "€" + "a" * 152, True, 306),
        ("é" * 160, True, 160),  # é is in the GSM-7 alphabet
        ("ó", False, 1),  # ó is not
        ("ą" * 70, False, 70),
        ("ą" * 71, False, 71),
        ("ą" * 134, False, 134),
        ("ą" * 135, False, 135),
        ("Zażółć gęślą jaźń", False, 17),
        ("😀" * 35, False, 70),  # surrogate pairs: two units each
        ("a" * 66 + "😀" + "a", False, 69),
        ("a" * 66 + "😀" + "a" * 4, False, 72),
    ],
)
def test_sms_length(text, gsm7, length):
    assert is_gsm7(text) is gsm7
    assert sms_length(text) == length


def test_fold_to_gsm7():
    assert fold_to_gsm7("Zażółć gęślą jaźń ŁÓDŹ") == "Zazolc gesla jazn LODZ"
    assert fold_to_gsm7("1\u00a0234,56\u202fzł – „ok”") == '1 234,56 zl - "ok"'
    assert fold_to_gsm7("café") == "café"  # é is GSM-7 already
    assert fold_to_gsm7("naïve ç") == "naive c"
    assert is_gsm7(fold_to_gsm7("Faktura na kwotę 1 234,56 zł"))


def test_sms_text_short_keeps_diacritics():
    text = sms_text_for_document(
        "Faktura VAT", "FV/1/11/2026", "1 234,56 zł", "https://x.pl/a"
    )
    assert text == "Faktura VAT FV/1/11/2026 na kwotę 1 234,56 zł: https://x.pl/a"
    assert one_segment(text)
    assert not is_gsm7(text)


def test_sms_text_folds_diacritics_before_trimming():
    text = sms_text_for_document(
        "Faktura VAT", "FV/1/11/2026", "1\u00a0234,56 zł", LINK
    )

    assert text == f"Faktura VAT FV/1/11/2026 na kwote 1 234,56 zl: {LINK}"
    assert is_gsm7(text)
    assert one_segment(text)


def test_sms_text_drops_amount_before_cutting_anything():
    long_link = "https://crm.example.pl/my/invoices/42?access_token=" + "x" * 80
    text = sms_text_for_document(
        "Faktura VAT", "FV/1/11/2026", "1 234 567,89 zł", long_link
    )

    assert text == "Faktura VAT FV/1/11/2026: " + long_link
    assert len(text) <= 160
    assert one_segment(text)


@pytest.mark.parametrize(
    ("link_len", "expected_head"),
    [
        (134, "Faktura VAT FV/1/11/2026: "),
        (135, "Faktura FV/1/11/2026: "),
        (139, "Faktura VAT: "),
        (148, "Faktura: "),
        (152, ""),
    ],
)
def test_sms_text_trims_text_never_link(link_len, expected_head):
    link = "https://x.pl/" + "a" * (link_len - 13)
    text = sms_text_for_document("Faktura VAT", "FV/1/11/2026", "1 234,56 zł", link)
    assert text == expected_head + link
    assert len(text) <= 160


def test_sms_text_without_folding():
    link = "https://x.pl/a"
    title, number = "Faktura korygująca", "KOR/1/11/2026"

    text = sms_text_for_document(title, number, "", link, fold_diacritics=False)
    assert text == "Faktura korygująca KOR/1/11/2026: https://x.pl/a"
    assert not is_gsm7(text)

    # UCS-2 budget of max_len=80 is 35: the diacritic word goes, GSM-7 again.
    text = sms_text_for_document(title, number, "", link, 80, fold_diacritics=False)
    assert text == "Faktura KOR/1/11/2026: https://x.pl/a"


def test_sms_text_folds_title():
    text = sms_text_for_document("Faktura korygująca", "KOR/1/11/2026", "", LINK)
    assert text == "Faktura korygujaca KOR/1/11/2026: " + LINK
    assert is_gsm7(text)


def test_sms_text_too_long_link_or_no_link():
    assert sms_text_for_document("F", "1", "1 zł", "https://x.pl/" + "a" * 147)
    with pytest.raises(ValueError):
        sms_text_for_document("F", "1", "1 zł", "https://x.pl/" + "a" * 148)
    with pytest.raises(ValueError):
        sms_text_for_document("Faktura", "FV/1", "1 zł", " ")


def test_sms_text_custom_max_len():
    link = "https://x.pl/a"
    text = sms_text_for_document("Faktura VAT", "FV/1/11/2026", "1 234,56 zł", link, 40)
    assert text == "Faktura VAT FV/1/11/2026: https://x.pl/a"
    text = sms_text_for_document(
        "Faktura VAT", "FV/1", "1 zł", link, max_len=40, max_len_ucs2=46
    )
    assert text == "Faktura VAT FV/1 na kwotę 1 zł: https://x.pl/a"
