from . import interest_rate
