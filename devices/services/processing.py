"""Processing services: erasure attempts and refurbishment checks, each moving the device on
through devices.lifecycle."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from devices import erasure_coverage, lifecycle
from devices.models import Device, Erasure, RefurbishmentCheck
from devices.services.errors import ProcessingError
from devices.services.media import device_media_ensure
from kierratys import figures
from kierratys.timeline import person_name

ERASURE_NOT_EXPECTED = _(
    "Laitteen tila on ”%(status)s”: tyhjennyksen voi kirjata vain vastaanotetulle laitteelle."
)
REFURBISHMENT_NOT_EXPECTED = _(
    "Laitteen tila on ”%(status)s”: kunnostuksen voi kirjata vain tyhjennetylle laitteelle."
)
DESTRUCTION_NEEDS_REASON = _("Kerro, mitä tuhotulle laitteelle tehtiin.")
# Destroying one of several drives (a broken HDD shredded, the NVMe erased) records that
# drive as destroyed and the device goes on; destroying its only or built-in medium
# destroys the device itself, so the technician says what was done with it.
DISPOSAL_ONLY_WHEN_DESTROYED = _(
    "Poiston syyn voi valita vain, kun laite tuhottiin (menetelmä ”Destroy” ja tulos onnistui)."
)

FAILURE_NEEDS_REASON = _("Kerro, miksi tyhjennys epäonnistui (esim. työkalun ilmoittama virhe).")
MEDIUM_NOT_CHOSEN = _("Valitse, minkä tallennusvälineen tyhjennys kirjataan.")
NO_MEDIUM_RECORDED = _(
    "Laitteelle ei ole kirjattu tallennusvälinettä. Lisää tallennusväline ensin."
)
VALIDATION_NOT_NEEDED = _("Vain onnistuneen tyhjennyksen voi tarkastaa.")
ALREADY_VALIDATED = _("Tyhjennys on jo tarkastettu (%(validator)s).")
VALIDATOR_IS_TECHNICIAN = _(
    "Et voi tarkastaa omaa tyhjennystäsi: tarkastajan on oltava toinen teknikko."
)


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
    medium=None,
    failure_reason="",
    evidence=None,
):
    """Log an erasure attempt on one medium (the device's only one when none is named);
    every medium erased: the device is erased; destroyed with a reason: disposed.
    Raises ProcessingError."""
    with transaction.atomic():
        locked = Device.objects.select_for_update().get(pk=device.pk)
        if lifecycle.ERASURE not in lifecycle.allowed_actions(locked):
            raise ProcessingError(
                ERASURE_NOT_EXPECTED, params={"status": locked.get_status_display()}
            )
        medium, medium_count = _medium_or_refuse(locked, medium, actor)
        destroyed = method == Erasure.Method.DESTROY and result == Erasure.Result.PASSED
        device_destroyed = destroyed and (medium.built_in or medium_count == 1)
        erasure = Erasure(
            device=locked,
            medium=medium,
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
            failure_reason=failure_reason,
            evidence=evidence,
        )
        # Erasure.clean() holds the rules of times, category, technique and device.
        errors = {}
        try:
            erasure.full_clean(exclude=["device", "technician", "medium", "evidence"])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if result == Erasure.Result.FAILED and not failure_reason.strip():
            errors["failure_reason"] = [
                ValidationError(FAILURE_NEEDS_REASON, code="failure_reason")
            ]
        if device_destroyed and not disposal_reason:
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
        figures.figures_refresh(devices=[locked.pk])
        if destroyed and disposal_reason:
            lifecycle.device_dispose(device=locked, actor=actor, disposal_reason=disposal_reason)
        else:
            _mark_erased_when_complete(locked, actor)
    return erasure


def _medium_or_refuse(device, medium, actor):
    """The medium the erasure is of, and how many media the device has."""
    media = device_media_ensure(device=device, actor=actor)
    if medium is None:
        if not media:
            raise ProcessingError({"medium": ProcessingError(NO_MEDIUM_RECORDED, code="no_medium")})
        if len(media) > 1:
            raise ProcessingError({"medium": ProcessingError(MEDIUM_NOT_CHOSEN, code="medium")})
        return media[0], 1
    if medium.device_id != device.pk:
        raise ProcessingError({"medium": ProcessingError(MEDIUM_NOT_CHOSEN, code="medium")})
    return medium, len(media)


def _mark_erased_when_complete(device, actor):
    """received -> erased once every medium has an erasure that counts."""
    if device.status == Device.Status.RECEIVED and erasure_coverage.device_is_erased(device):
        lifecycle.device_mark_erased(device=device, actor=actor)


def erasure_validate(*, erasure, actor):
    """A second technician confirms a passed erasure (Appendix G validation); never its own."""
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=erasure.device_id)
        locked = Erasure.objects.select_for_update().get(pk=erasure.pk)
        if locked.result != Erasure.Result.PASSED:
            raise ProcessingError(VALIDATION_NOT_NEEDED, code="validation_not_needed")
        if locked.validated_by_id is not None:
            raise ProcessingError(
                ALREADY_VALIDATED,
                code="already_validated",
                params={"validator": person_name(locked.validated_by)},
            )
        if locked.technician_id == actor.pk:
            raise ProcessingError(VALIDATOR_IS_TECHNICIAN, code="validator_is_technician")
        locked.validated_by = actor
        locked.validated_at = timezone.now()
        locked._history_user = actor
        locked.save(update_fields=["validated_by", "validated_at"])
        _mark_erased_when_complete(device, actor)
    return locked


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
