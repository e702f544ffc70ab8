from . import pl_document_type
from . import res_partner
from . import account_move
from . import mail_mail
