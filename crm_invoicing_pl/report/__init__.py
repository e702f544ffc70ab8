from . import vat_sales_register
