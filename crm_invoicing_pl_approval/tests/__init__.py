from . import test_approval_rules
from . import test_approval_workflow
from . import test_approval_posting
from . import test_oca_translation
from . import test_security_approval
from . import test_offer_approval
from . import test_offer_header
from . import test_offer_approval_tour
