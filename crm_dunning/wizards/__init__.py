from . import crm_dunning_demand_wizard
from . import interest_note_wizard
