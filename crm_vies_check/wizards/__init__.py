from . import pl_gus_lookup
