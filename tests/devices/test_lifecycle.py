"""The device lifecycle: every state pair, the erasure rule, the model guard, the history."""

import itertools

import pytest

from devices import lifecycle, services
from devices.models import Device, Erasure, StatusWriteError
from tests.factories import erase, make_batch, make_device, make_ready_device, refurbish

S = Device.Status

# The design's lifecycle diagram, written out independently of devices.lifecycle.
EXPECTED_ALLOWED = {
    (S.RECEIVED, S.ERASED),
    (S.RECEIVED, S.DISPOSED),
    (S.ERASED, S.READY),
    (S.ERASED, S.DISPOSED),
    (S.READY, S.RESERVED),
    (S.RESERVED, S.READY),
    (S.RESERVED, S.HANDED_OVER),
    (S.RESERVED, S.ON_LOAN),
    (S.ON_LOAN, S.RECEIVED),
}
ALL_PAIRS = list(itertools.product(S, S))
REFUSED = [pair for pair in ALL_PAIRS if pair not in EXPECTED_ALLOWED]


def device_in(status, batch, actor):
    """A device brought to `status` through the real services, as people would."""
    if status == S.RECEIVED:
        return make_device(batch, actor)
    if status == S.ERASED:
        device = make_device(batch, actor)
        erase(device, actor)
    elif status == S.DISPOSED:
        # Parts leave the programme only with every medium destroyed (or erased).
        device = make_device(batch, actor)
        erase(
            device,
            actor,
            method=Erasure.Method.DESTROY,
            technique=Erasure.Technique.PHYSICAL_DESTRUCTION,
            disposal_reason=Device.DisposalReason.PARTS,
        )
    else:
        device = make_ready_device(batch, actor)
        if status != S.READY:
            lifecycle.device_reserve(device=device, actor=actor)
        if status == S.HANDED_OVER:
            lifecycle.device_hand_over(device=device, actor=actor, loan=False)
        elif status == S.ON_LOAN:
            lifecycle.device_hand_over(device=device, actor=actor, loan=True)
    device.refresh_from_db()
    assert device.status == status
    return device


# How a person makes each allowed move: the service that does it.
MOVES = {
    (S.RECEIVED, S.ERASED): lambda device, actor: erase(device, actor),
    # Unerased, a device may only go back to its donor; erased, it may go as e-waste.
    (S.RECEIVED, S.DISPOSED): lambda device, actor: lifecycle.device_dispose(
        device=device, actor=actor, disposal_reason=Device.DisposalReason.RETURNED
    ),
    (S.ERASED, S.READY): lambda device, actor: refurbish(device, actor),
    (S.ERASED, S.DISPOSED): lambda device, actor: lifecycle.device_dispose(
        device=device, actor=actor, disposal_reason=Device.DisposalReason.EWASTE
    ),
    (S.READY, S.RESERVED): lambda device, actor: lifecycle.device_reserve(
        device=device, actor=actor
    ),
    (S.RESERVED, S.READY): lambda device, actor: lifecycle.device_release(
        device=device, actor=actor
    ),
    (S.RESERVED, S.HANDED_OVER): lambda device, actor: lifecycle.device_hand_over(
        device=device, actor=actor, loan=False
    ),
    (S.RESERVED, S.ON_LOAN): lambda device, actor: lifecycle.device_hand_over(
        device=device, actor=actor, loan=True
    ),
    (S.ON_LOAN, S.RECEIVED): lambda device, actor: lifecycle.device_return(
        device=device, actor=actor
    ),
}


def test_the_transition_table_is_the_designs_diagram():
    table = {
        (source, target)
        for source, targets in lifecycle.ALLOWED_TRANSITIONS.items()
        for target in targets
    }
    assert table == EXPECTED_ALLOWED
    assert set(lifecycle.ALLOWED_TRANSITIONS) == set(S)
    assert set(MOVES) == EXPECTED_ALLOWED


@pytest.mark.parametrize(("source", "target"), sorted(EXPECTED_ALLOWED))
def test_every_allowed_transition_applies(donor, technician, coach, source, target):
    batch = make_batch(donor, technician)
    device = device_in(source, batch, technician)
    history_before = device.history.count()

    MOVES[(source, target)](device, coach)

    device.refresh_from_db()
    assert device.status == target
    latest = device.history.latest()
    assert latest.status == target
    assert latest.history_user == coach
    assert latest.history_change_reason
    assert device.history.count() > history_before
    if target == S.DISPOSED:
        assert device.disposal_reason
    else:
        assert device.disposal_reason == ""


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_every_refused_transition_raises_and_changes_nothing(
    donor, technician, coach, source, target
):
    batch = make_batch(donor, technician)
    device = device_in(source, batch, technician)
    before = Device.objects.get(pk=device.pk)
    history_before = device.history.count()

    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.device_transition(
            device=device,
            to_status=target,
            actor=coach,
            reason="test",
            disposal_reason=Device.DisposalReason.EWASTE,
        )

    message = refused.value.messages[0]
    assert f"tilasta ”{S(source).label}”" in message
    assert f"tilaan ”{S(target).label}”" in message
    after = Device.objects.get(pk=device.pk)
    assert after.status == source
    assert after.status_changed_at == before.status_changed_at
    assert after.received_at == before.received_at
    assert after.disposal_reason == before.disposal_reason
    assert device.history.count() == history_before


def test_a_failed_erasure_keeps_the_device_received_and_refurbishment_is_refused(donor, technician):
    device = make_device(make_batch(donor, technician), technician)
    attempt = erase(device, technician, result=Erasure.Result.FAILED)
    device.refresh_from_db()
    assert device.status == S.RECEIVED
    assert attempt.result == Erasure.Result.FAILED

    with pytest.raises(services.ProcessingError):
        refurbish(device, technician)
    for target in (S.ERASED, S.READY, S.RESERVED):
        with pytest.raises(lifecycle.TransitionError):
            lifecycle.device_transition(
                device=device, to_status=target, actor=technician, reason="x"
            )
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.device_reserve(device=device, actor=technician)
    device.refresh_from_db()
    assert device.status == S.RECEIVED


def test_received_cannot_be_marked_erased_without_a_passed_erasure(donor, technician):
    device = make_device(make_batch(donor, technician), technician)
    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.device_mark_erased(device=device, actor=technician)
    assert refused.value.code == "erasure_missing"
    assert "onnistunutta tietojen tyhjennystä" in refused.value.messages[0]


def test_a_retry_after_a_failed_erasure_counts(donor, technician):
    device = make_device(make_batch(donor, technician), technician)
    erase(device, technician, result=Erasure.Result.FAILED)
    erase(device, technician)
    refurbish(device, technician)
    device.refresh_from_db()
    assert device.status == S.READY
    assert device.erasures.count() == 2  # every attempt is kept


def test_a_returned_loan_must_be_erased_again_before_it_is_ready(donor, technician, coach):
    device = device_in(S.ON_LOAN, make_batch(donor, technician), technician)
    first_received_at = device.received_at

    device = lifecycle.device_return(device=device, actor=coach)

    assert device.status == S.RECEIVED
    assert device.received_at > first_received_at
    assert not lifecycle.has_current_passed_erasure(device)
    # The erasure from before the loan no longer counts.
    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.device_mark_erased(device=device, actor=technician)
    assert refused.value.code == "erasure_missing"
    with pytest.raises(services.ProcessingError):
        refurbish(device, technician)

    erase(device, technician)
    refurbish(device, technician)
    device.refresh_from_db()
    assert device.status == S.READY
    assert device.erasures.filter(result=Erasure.Result.PASSED).count() == 2


def test_erasure_is_only_logged_for_a_received_device(donor, technician):
    device = device_in(S.READY, make_batch(donor, technician), technician)
    with pytest.raises(services.ProcessingError):
        erase(device, technician)
    assert device.erasures.count() == 1


def test_disposal_needs_a_reason(donor, technician):
    device = make_device(make_batch(donor, technician), technician)
    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.device_dispose(device=device, actor=technician, disposal_reason="")
    assert refused.value.code == "disposal_reason"
    device.refresh_from_db()
    assert device.status == S.RECEIVED


def test_destroying_the_media_disposes_the_device_with_the_reason(donor, technician):
    device = make_device(make_batch(donor, technician), technician)
    erase(
        device,
        technician,
        method=Erasure.Method.DESTROY,
        technique=Erasure.Technique.PHYSICAL_DESTRUCTION,
        disposal_reason=Device.DisposalReason.EWASTE,
    )
    device.refresh_from_db()
    assert device.status == S.DISPOSED
    assert device.disposal_reason == Device.DisposalReason.EWASTE


def test_destroying_without_a_reason_is_refused_and_records_nothing(donor, technician):
    device = make_device(make_batch(donor, technician), technician)
    with pytest.raises(services.ProcessingError):
        erase(
            device,
            technician,
            method=Erasure.Method.DESTROY,
            technique=Erasure.Technique.PHYSICAL_DESTRUCTION,
        )
    assert device.erasures.count() == 0
    device.refresh_from_db()
    assert device.status == S.RECEIVED


# The model guard: nothing but devices.lifecycle writes the lifecycle fields.


def test_direct_status_write_with_save_fails_loudly(donor, technician):
    device = make_device(make_batch(donor, technician), technician)
    device.status = S.READY
    with pytest.raises(StatusWriteError):
        device.save()
    with pytest.raises(StatusWriteError):
        device.save(update_fields=["status"])
    assert Device.objects.get(pk=device.pk).status == S.RECEIVED


def test_creating_a_device_in_another_status_fails_loudly(donor, technician):
    device = make_device(make_batch(donor, technician), technician)
    clone = Device.objects.get(pk=device.pk)
    clone.pk = None
    clone._state.adding = True
    clone.status = S.READY
    with pytest.raises(StatusWriteError):
        clone.save()


def test_queryset_update_and_bulk_update_of_status_fail_loudly(donor, technician):
    device = make_device(make_batch(donor, technician), technician)
    with pytest.raises(StatusWriteError):
        Device.objects.update(status=S.READY)
    with pytest.raises(StatusWriteError):
        Device.objects.filter(pk=device.pk).update(status=S.DISPOSED, disposal_reason="parts")
    with pytest.raises(StatusWriteError):
        Device.objects.filter(pk=device.pk).update(received_at=device.received_at)
    device.status = S.READY
    with pytest.raises(StatusWriteError):
        Device.objects.bulk_update([device], ["status"])
    assert Device.objects.get(pk=device.pk).status == S.RECEIVED


def test_an_old_copy_saved_later_does_not_undo_a_transition(donor, technician):
    device = make_device(make_batch(donor, technician), technician)
    stale = Device.objects.get(pk=device.pk)
    erase(device, technician)

    stale.notes = "Näppäimistössä kulumaa"
    stale.save()

    fresh = Device.objects.get(pk=device.pk)
    assert fresh.status == S.ERASED
    assert fresh.notes == "Näppäimistössä kulumaa"
    assert fresh.history.latest().status == S.ERASED


def test_other_fields_still_save_after_refresh(donor, technician):
    device = make_device(make_batch(donor, technician), technician)
    erase(device, technician)
    device.refresh_from_db()
    device.notes = "Akku vaihdettu"
    device.save()
    assert Device.objects.get(pk=device.pk).notes == "Akku vaihdettu"


def test_every_history_record_of_a_full_lifecycle_names_the_user(donor, technician, coach):
    batch = make_batch(donor, technician)
    device = make_device(batch, technician)
    erase(device, technician)
    refurbish(device, technician)
    lifecycle.device_reserve(device=device, actor=coach)
    lifecycle.device_release(device=device, actor=coach)
    lifecycle.device_reserve(device=device, actor=coach)
    lifecycle.device_hand_over(device=device, actor=coach, loan=True)
    lifecycle.device_return(device=device, actor=coach)
    erase(device, technician, result=Erasure.Result.FAILED, failure_reason="Levyssä lukuvirheitä")
    # The drive that cannot be erased is destroyed, and the device with it.
    erase(
        device,
        technician,
        method=Erasure.Method.DESTROY,
        technique=Erasure.Technique.PHYSICAL_DESTRUCTION,
        disposal_reason=Device.DisposalReason.EWASTE,
    )

    records = list(device.history.order_by("history_date"))
    statuses = [record.status for record in records]
    assert statuses == [
        S.RECEIVED,
        S.ERASED,
        S.READY,
        S.RESERVED,
        S.READY,
        S.RESERVED,
        S.ON_LOAN,
        S.RECEIVED,
        S.DISPOSED,
    ]
    assert all(record.history_user_id is not None for record in records)
    assert all(record.history_change_reason for record in records)
    assert [record.history_user for record in records[3:8]] == [coach] * 5
    assert records[-1].history_user == technician
    erasures = Erasure.history.filter(device_id=device.pk)
    assert erasures.count() == 3
    assert all(record.history_user == technician for record in erasures)
