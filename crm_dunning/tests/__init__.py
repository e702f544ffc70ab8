from . import test_interest_rate
from . import test_late_portions
from . import test_demand
from . import test_dispatch_book
from . import test_demand_pdf
from . import test_demand_tour
