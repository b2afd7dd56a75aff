"""Processing services: erasure attempts and refurbishment checks, each moving the device on
through devices.lifecycle."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from devices import lifecycle
from devices.models import Device, Erasure, RefurbishmentCheck

ERASURE_NOT_EXPECTED = _(
    "Laitteen tila on ”%(status)s”: tyhjennyksen voi kirjata vain vastaanotetulle laitteelle."
)
REFURBISHMENT_NOT_EXPECTED = _(
    "Laitteen tila on ”%(status)s”: kunnostuksen voi kirjata vain tyhjennetylle laitteelle."
)
DESTRUCTION_NEEDS_REASON = _("Kerro, mitä tuhotulle laitteelle tehtiin.")
DISPOSAL_ONLY_WHEN_DESTROYED = _(
    "Poiston syyn voi valita vain, kun laite tuhottiin (menetelmä ”Destroy” ja tulos onnistui)."
)


class ProcessingError(ValidationError):
    """A processing step the rules refuse; the message is shown to the user."""


def erasure_record(
    *,
    device,
    actor,
    started_at,
    ended_at,
    method,
    technique,
    tool_name,
    tool_version,
    verification,
    result,
    notes="",
    disposal_reason="",
):
    """Log an erasure attempt (passed: erased, destroyed: disposed); raises ProcessingError."""
    with transaction.atomic():
        locked = Device.objects.select_for_update().get(pk=device.pk)
        if lifecycle.ERASURE not in lifecycle.allowed_actions(locked):
            raise ProcessingError(
                ERASURE_NOT_EXPECTED, params={"status": locked.get_status_display()}
            )
        destroyed = method == Erasure.Method.DESTROY and result == Erasure.Result.PASSED
        erasure = Erasure(
            device=locked,
            technician=actor,
            started_at=started_at,
            ended_at=ended_at,
            method=method,
            technique=technique,
            tool_name=tool_name,
            tool_version=tool_version,
            verification=verification,
            result=result,
            notes=notes,
        )
        # Erasure.clean() holds the rules of times, category, technique and device.
        errors = {}
        try:
            erasure.full_clean(exclude=["device", "technician"])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if destroyed and not disposal_reason:
            errors["disposal_reason"] = [
                ValidationError(DESTRUCTION_NEEDS_REASON, code="disposal_reason")
            ]
        elif disposal_reason and not destroyed:
            errors["disposal_reason"] = [
                ValidationError(DISPOSAL_ONLY_WHEN_DESTROYED, code="disposal_reason")
            ]
        if errors:
            raise ProcessingError(errors)
        erasure._history_user = actor
        erasure.save()
        if destroyed:
            lifecycle.device_dispose(device=locked, actor=actor, disposal_reason=disposal_reason)
        elif result == Erasure.Result.PASSED:
            lifecycle.device_mark_erased(device=locked, actor=actor)
    return erasure


def refurbishment_record(*, device, actor, checked_at, notes="", **checks):
    """Log the refurbishment checklist; a complete one moves erased -> ready."""
    with transaction.atomic():
        locked = Device.objects.select_for_update().get(pk=device.pk)
        if lifecycle.REFURBISHMENT not in lifecycle.allowed_actions(locked):
            raise ProcessingError(
                REFURBISHMENT_NOT_EXPECTED, params={"status": locked.get_status_display()}
            )
        check = RefurbishmentCheck(
            device=locked, checked_by=actor, checked_at=checked_at, notes=notes, **checks
        )
        check._history_user = actor
        check.save()
        if check.is_complete:
            lifecycle.device_mark_ready(device=locked, actor=actor)
    return check
