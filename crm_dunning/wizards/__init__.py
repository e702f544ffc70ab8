from . import crm_dunning_demand_wizard
from . import crm_dunning_interest_note_wizard
