"""Text written into exported files, safe for the program that opens them.

Pure Python, no Odoo.

* ``spreadsheet_text``: a cell of a CSV or XLSX export. A value that starts
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read
  as a formula by a spreadsheet (CSV injection, OWASP): it gets a leading
  apostrophe, which spreadsheets show as the text itself. Control
  characters become spaces.
* ``xml_text``: a text node of an XML file. XML 1.0 forbids most control
  characters (lxml refuses them with a ValueError): they are dropped.
"""

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# C0 controls and DEL: never wanted inside one cell of a register.
_CELL_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
# Characters XML 1.0 does not allow (tab, line feed and carriage return are
# allowed), plus the non-characters U+FFFE / U+FFFF and lone surrogates.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def spreadsheet_text(value):
    """``value`` as the text of a spreadsheet cell that is never a formula."""
    text = "" if value is None else str(value)
    formula = text.startswith(FORMULA_START)
    text = _CELL_CONTROLS.sub(" ", text)
    if formula or text.startswith(FORMULA_START):
        return "'" + text
    return text


def xml_text(value):
    """``value`` without the characters an XML 1.0 document may not hold."""
    return _XML_FORBIDDEN.sub("", "" if value is None else str(value))
