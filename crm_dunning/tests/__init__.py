from . import test_interest_rate
from . import test_late_portions
from . import test_dunning_run
from . import test_dunning_delivery
from . import test_dunning_exactly_once
