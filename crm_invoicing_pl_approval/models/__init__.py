from . import tier_definition
from . import tier_review
from . import tier_validation
from . import account_move
from . import sale_order
