from . import vat_sales_register
from . import vat_purchase_register
