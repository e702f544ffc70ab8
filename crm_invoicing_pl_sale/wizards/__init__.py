from . import account_debit_note
from . import sale_advance_payment_inv
