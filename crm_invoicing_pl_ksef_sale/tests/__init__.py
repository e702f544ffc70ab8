from . import test_advance_invoice_fa3
from . import test_advance_manual_fa3
from . import test_ksef_fa3_kinds
from . import test_ksef_qr_advance
from . import test_order_price
from . import test_upward_correction_fa3
from . import test_ksef_salesman
