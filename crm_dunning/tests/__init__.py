from . import test_interest_rate
from . import test_late_portions
from . import test_dunning_run
