from . import test_interest_rate
from . import test_late_portions
from . import test_interest_note
from . import test_interest_note_posting
from . import test_interest_note_pdf
from . import test_interest_note_tour
