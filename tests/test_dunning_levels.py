import datetime

import pytest
from odoo.addons.crm_dunning.tools.levels import (
    Level,
    choose_level,
    earliest_offset,
    ranked,
)

d = datetime.date

# The seeded policy: przypomnienie, ponaglenie, monit, wezwanie.
REMINDER, URGE, MONIT, DEMAND = (
    Level(1, -3),
    Level(2, 7),
    Level(3, 14),
    Level(4, 30),
)
POLICY = (DEMAND, REMINDER, MONIT, URGE)  # any order


def test_ranked_by_offset_then_sequence():
    assert ranked(POLICY) == (REMINDER, URGE, MONIT, DEMAND)
    first, second = Level(7, 5, sequence=20), Level(8, 5, sequence=10)
    assert ranked([first, second]) == (second, first)


@pytest.mark.parametrize(
    ("overdue", "expected"),
    [
        (-10, None),
        (-4, None),
        (-3, 1),  # three days before the due date
        (0, 1),
        (6, 1),
        (7, 2),
        (13, 2),
        (14, 3),
        (29, 3),
        (30, 4),
        (400, 4),
    ],
)
def test_level_by_offset(overdue, expected):
    assert choose_level(POLICY, overdue) == expected


def test_never_twice_and_never_down():
    assert choose_level(POLICY, 0, sent_ids={1}) is None
    assert choose_level(POLICY, 8, sent_ids={1}) == 2
    assert choose_level(POLICY, 8, sent_ids={1, 2}) is None
    # A higher level already sent: the lower one reached now is not sent.
    assert choose_level(POLICY, 8, sent_ids={3}) is None
    # Levels of another policy do not count.
    assert choose_level(POLICY, 8, sent_ids={99}) == 2


def test_missed_levels_are_not_caught_up():
    # Nothing sent yet and 40 days late: only the payment demand.
    assert choose_level(POLICY, 40) == 4
    assert choose_level(POLICY, 40, sent_ids={1}) == 4


def test_empty_policy():
    assert choose_level((), 100) is None
    assert earliest_offset(()) is None
    assert earliest_offset(POLICY) == -3
