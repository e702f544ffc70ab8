from . import account_move
from . import account_tax
from . import product_pricelist
from . import sale_order
from . import sale_order_line
