from . import test_sms_gateway
from . import test_neutralize
from . import test_install
