from . import tier_definition
from . import tier_review
from . import account_move
