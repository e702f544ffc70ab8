from . import rule_match
