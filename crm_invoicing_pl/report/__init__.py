from . import vat_sales_register
from . import sales_analysis
from . import vat_purchase_register
