from . import test_issue_notifications
from . import test_issue_order
from . import test_install
from . import test_neutralize
