from . import vat_register_export
