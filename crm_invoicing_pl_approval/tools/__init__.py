from . import rule_match
from . import offer_rules
