from . import account_move_reversal
from . import sale_advance_payment_inv
from . import account_debit_note
