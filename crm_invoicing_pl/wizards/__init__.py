from . import account_move_reversal
from . import sale_order_refuse
