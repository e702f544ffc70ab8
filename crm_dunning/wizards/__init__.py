from . import interest_note_wizard
