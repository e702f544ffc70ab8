from . import test_partner_verification
from . import test_verification_policy
from . import test_recheck
from . import test_recheck_process
from . import test_gus_lookup
from . import test_neutralize
from . import test_security_vies_check
from . import test_partner_fill
