from . import test_partner_verification
