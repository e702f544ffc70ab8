from . import crm_dunning_demand_wizard
