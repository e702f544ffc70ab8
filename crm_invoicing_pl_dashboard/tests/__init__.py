from . import test_receivables_dashboard
from . import test_receivables_dashboard_tour
