from . import test_approvals_dashboard
from . import test_approvals_dashboard_access
from . import test_approvals_dashboard_tour
