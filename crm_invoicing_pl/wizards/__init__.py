from . import account_move_reversal
from . import account_debit_note
