from . import gus_lookup
