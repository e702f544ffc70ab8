from . import test_vat_register
from . import test_jpk_markers
from . import test_cash_accounting
from . import test_upward_correction
from . import test_jpk_purchases
from . import test_install
