"""People moving the same figures at the same moment: every change counts once, no deadlock."""

import pytest

from devices.models import Device
from reports import figures_check
from reports.selectors import dashboard
from tests.factories import erase, make_batch, make_device
from tests.support import race, requires_postgres

pytestmark = [*requires_postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_intakes_and_erasures_all_count(donor, technician, coach, other_coach):
    batch = make_batch(donor, technician, declared_count=20)
    received = [make_device(batch, technician) for _ in range(4)]

    def act(index):
        # Half take a device in (new counter keys), half erase one (the same hot keys).
        if index % 2:
            return make_device(batch, technician)
        return erase(received[index // 2], technician)

    outcomes = race(act, list(range(8)))
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert figures_check.counter_drift() == []
    states = {row.key: row.count for row in dashboard.dashboard_figures().status_counts}
    assert states[Device.Status.RECEIVED] + states[Device.Status.ERASED] == 8
