"""Two people act on the same device at the same moment: the row lock lets exactly one win."""

import pytest

from devices import lifecycle, services
from devices.models import Device
from tests.factories import erase, make_batch, make_device, make_ready_device
from tests.support import race, requires_postgres

pytestmark = [
    *requires_postgres,
    # Real commits, so the threads' own connections see the data. The role groups a
    # flush removes are recreated by tests/conftest.py's role_group().
    pytest.mark.django_db(transaction=True),
]


def test_two_simultaneous_reservations_of_one_device_exactly_one_applies(
    donor, technician, coach, other_coach
):
    device = make_ready_device(make_batch(donor, technician), technician)
    history_before = device.history.count()

    outcomes = race(
        lambda actor: lifecycle.device_reserve(device=device, actor=actor), [coach, other_coach]
    )

    applied = [outcome for outcome in outcomes if isinstance(outcome, Device)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, lifecycle.TransitionError)]
    assert len(applied) == 1, outcomes
    assert len(refused) == 1, outcomes
    assert "tilasta ”varattu”" in refused[0].messages[0]
    device.refresh_from_db()
    assert device.status == Device.Status.RESERVED
    assert device.history.count() == history_before + 1
    assert device.history.latest().history_user in (coach, other_coach)


def test_disposal_and_erasure_at_once_leave_one_consistent_outcome(donor, technician, coordinator):
    device = make_device(make_batch(donor, technician), technician)

    def act(actor):
        if actor == technician:
            erase(device, actor)
            return Device.objects.get(pk=device.pk)
        # Returned to the donor: the one disposal allowed before every medium is erased.
        return lifecycle.device_dispose(
            device=device, actor=actor, disposal_reason=Device.DisposalReason.RETURNED
        )

    outcomes = race(act, [technician, coordinator])

    errors = [
        o for o in outcomes if isinstance(o, (lifecycle.TransitionError, services.ProcessingError))
    ]
    assert len(errors) <= 1, outcomes
    assert not [o for o in outcomes if isinstance(o, Exception) and o not in errors], outcomes
    device.refresh_from_db()
    # Either the erasure came first (erased, then disposed from erased is allowed too)
    # or the disposal came first and the erasure was refused; never an erased-but-disposed mix.
    if errors:
        assert device.status == Device.Status.DISPOSED
        assert not device.erasures.exists()
    else:
        assert device.status == Device.Status.DISPOSED
        assert device.erasures.count() == 1
    assert device.history.filter(status=Device.Status.DISPOSED).count() == 1
