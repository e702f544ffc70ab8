from . import test_partner_verification
from . import test_verification_policy
from . import test_recheck
from . import test_recheck_process
from . import test_gus_lookup
