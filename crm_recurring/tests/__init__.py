from . import test_recurring_contract
from . import test_recurring_wizards
from . import test_recurring_revenue
from . import test_recurring_batch
from . import test_exactly_once
from . import test_recurring_posting
from . import test_neutralize
from . import test_calendar_edges
