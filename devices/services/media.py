"""Storage media services: the media a device holds, recorded by a technician, taken from
intake, or created from a wipe tool's report."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from devices.models import Device, StorageMedium
from devices.models.media import BUILT_IN_CATEGORIES, KIND_BY_STORAGE_TYPE, MediumKind
from devices.services.errors import ProcessingError, full_clean_or_refuse

MEDIUM_SERIAL_ON_DEVICE = _("Laitteella on jo tallennusväline, jonka sarjanumero on %(serial)s.")
MEDIUM_HAS_ERASURES = _(
    "Tallennusvälinettä ei voi poistaa: sille on kirjattu tyhjennys. Kirjaa se tuhotuksi."
)
MEDIUM_FIELDS = ("kind", "model", "serial_number", "capacity_gb", "built_in")


def intake_medium(device):
    """The medium intake describes (kind and size), unsaved, or None when intake says none."""
    built_in = device.category in BUILT_IN_CATEGORIES
    kind = KIND_BY_STORAGE_TYPE.get(device.storage_type)
    if built_in:
        kind = kind or MediumKind.EMMC
    if kind is None:
        return None
    return StorageMedium(device=device, kind=kind, capacity_gb=device.storage_gb, built_in=built_in)


def device_media_ensure(*, device, actor):
    """Give a device with no medium recorded the one intake describes; returns its media."""
    media = list(device.media.order_by("pk"))
    if media:
        return media
    medium = intake_medium(device)
    if medium is None:
        return []
    medium._history_user = actor
    medium.save()
    return [medium]


def medium_add(*, device, actor, **fields):
    """Record a storage medium of a device; ProcessingError on a serial it already has."""
    with transaction.atomic():
        locked = Device.objects.select_for_update().get(pk=device.pk)
        medium = StorageMedium(device=locked, **fields)
        full_clean_or_refuse(medium, ProcessingError, exclude=["device"])
        medium._history_user = actor
        _save(medium)
    return medium


def _save(medium):
    """Save a medium; ProcessingError when the device already has a medium of its serial."""
    try:
        with transaction.atomic():
            medium.save()
    except IntegrityError:
        raise ProcessingError(
            {
                "serial_number": ProcessingError(
                    MEDIUM_SERIAL_ON_DEVICE, params={"serial": medium.serial_number}
                )
            }
        ) from None


def medium_update(*, medium, actor, reason="", **fields):
    """Change what is recorded of a medium (MEDIUM_FIELDS); the same checks as medium_add.

    Used when a wipe tool's report names the disc that intake recorded without a serial."""
    unknown = set(fields) - set(MEDIUM_FIELDS)
    if unknown:
        raise TypeError(f"not a medium's field: {sorted(unknown)}")
    with transaction.atomic():
        Device.objects.select_for_update().get(pk=medium.device_id)
        locked = StorageMedium.objects.get(pk=medium.pk)
        for name, value in fields.items():
            setattr(locked, name, value)
        full_clean_or_refuse(locked, ProcessingError, exclude=["device"])
        locked._history_user = actor
        if reason:
            locked._change_reason = reason
        _save(locked)
    return locked


def medium_remove(*, medium, actor):
    """Remove a medium recorded by mistake; one with erasures stays (record it destroyed)."""
    with transaction.atomic():
        Device.objects.select_for_update().get(pk=medium.device_id)
        locked = StorageMedium.objects.get(pk=medium.pk)
        if locked.erasures.exists():
            raise ProcessingError(MEDIUM_HAS_ERASURES, code="medium_has_erasures")
        locked._history_user = actor
        locked.delete()
