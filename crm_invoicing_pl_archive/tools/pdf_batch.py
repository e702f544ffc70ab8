"""Several report documents in one wkhtmltopdf call, on an unpatched Qt.

Odoo's report engine turns N documents into N HTML bodies and converts them
in one wkhtmltopdf call, which an unpatched Qt (Debian's wkhtmltopdf) refuses:
each document then costs a wkhtmltopdf start of its own (about a second).
``join_bodies`` makes one body of them, each document on a new page, so one
call converts them all; Odoo splits the PDF back per document (page by page,
or by the documents' top headings) and refuses to when it cannot (the caller
then renders those documents one at a time).
"""

from lxml import html

PAGE_BREAK = '<div style="page-break-before: always;"></div>'


def join_bodies(bodies):
    """One HTML document holding the ``<body>`` content of each of ``bodies``
    in order, a page break before each but the first; the first's ``<head>``
    (the report's styles, the same in every body) and document type are kept.
    """
    tree = html.document_fromstring(bodies[0]).getroottree()
    target = tree.getroot().find("body")
    for body in bodies[1:]:
        target.append(html.fragment_fromstring(PAGE_BREAK))
        target.extend(html.document_fromstring(body).find("body"))
    return html.tostring(tree, encoding="unicode")
