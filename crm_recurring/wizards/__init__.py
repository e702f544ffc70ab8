from . import recurring_bulk_edit
from . import recurring_preview
