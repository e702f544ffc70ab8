"""crm_invoicing_pl_archive.tools.pdf_batch: report bodies joined for one
wkhtmltopdf call."""

from lxml import html
from odoo.addons.crm_invoicing_pl_archive.tools.pdf_batch import join_bodies

BODY = (
    "<!DOCTYPE html><html><head><link rel='stylesheet' href='/report.css'/>"
    "</head><body class='container'><div class='article' data-oe-id='{id}'>"
    "<h2>Faktura nr {id}-A</h2><p>Razem {id}00,00 zł</p></div>"
    "tail {id}</body></html>"
)


def test_one_body_is_kept_as_it_is():
    joined = html.document_fromstring(join_bodies([BODY.format(id=1)]))
    assert [a.get("data-oe-id") for a in joined.find_class("article")] == ["1"]
    assert "tail 1" in joined.text_content()


def test_bodies_follow_each_other_each_on_a_new_page():
    joined_text = join_bodies([BODY.format(id=i) for i in (1, 2, 3)])
    assert joined_text.startswith("<!DOCTYPE html>")
    joined = html.document_fromstring(joined_text)
    body = joined.find("body")
    assert body.get("class") == "container"
    assert [a.get("data-oe-id") for a in joined.find_class("article")] == [
        "1",
        "2",
        "3",
    ]
    breaks = [
        child
        for child in body
        if "page-break-before: always" in (child.get("style") or "")
    ]
    assert len(breaks) == 2
    # Each break comes right before the next document's article.
    for brk, number in zip(breaks, ("2", "3"), strict=True):
        assert brk.getnext().get("data-oe-id") == number
    # One <head>: the styles are loaded once.
    assert len(joined.findall(".//link")) == 1
    text = joined.text_content()
    assert (
        text.index("nr 1-A")
        < text.index("tail 1")
        < text.index("nr 2-A")
        < text.index("nr 3-A")
    )
