from . import test_interest_rate
