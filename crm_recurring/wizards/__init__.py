from . import crm_recurring_bulk_edit
from . import crm_recurring_preview
