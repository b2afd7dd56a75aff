"""Which storage media of a device are erased: the one place that decides whether a
device counts as erased.

A device counts as erased only when it has at least one medium and every medium has a
passed erasure (or a passed destruction) recorded since the device last entered
`received`; with second-person validation switched on (settings
ERASURE_VALIDATION_REQUIRED), only validated erasures count.
"""

from dataclasses import dataclass

from django.conf import settings

from devices.models import Device, Erasure, StorageMedium
from devices.models.media import BUILT_IN_CATEGORIES
from kierratys.compiled_queries import CompiledQuery

# A device's media, oldest first: compiled once, as every device page and erasure form reads it.
_MEDIA_OF = CompiledQuery(lambda pk: StorageMedium.objects.filter(device_id=pk).order_by("pk"), int)


def validation_required():
    return settings.ERASURE_VALIDATION_REQUIRED


def erasures_since_received(device, received_at):
    """The erasure attempts that count: those recorded since the device last entered `received`.

    `device` and `received_at` may be OuterRefs, for a subquery per device row."""
    return Erasure.objects.filter(device=device, recorded_at__gte=received_at)


def counting(erasures):
    """Of `erasures`, the passed ones that count (validated when validation is required)."""
    erasures = erasures.filter(result=Erasure.Result.PASSED)
    if validation_required():
        erasures = erasures.filter(validated_by__isnull=False)
    return erasures


@dataclass(frozen=True)
class MediumCoverage:
    medium: StorageMedium
    erasure: Erasure | None  # the counting erasure, or None
    latest: Erasure | None  # the latest attempt since received, passed or not

    @property
    def erased(self):
        return self.erasure is not None

    @property
    def awaiting_validation(self):
        return (
            self.erasure is None
            and self.latest is not None
            and self.latest.result == Erasure.Result.PASSED
            and self.latest.validated_by_id is None
        )


def media_coverage(device, *, as_of=None, erasures=None):
    """Each medium of `device` with the erasure that counts for it (two queries).

    With `as_of` (a reservation time): what counted then, the latest erasures recorded
    before it. `erasures`: every erasure attempt of the device, already read by the caller
    (the device page lists them), so only the media are read; the same attempts count, and
    each is given its medium from those read here rather than a join of its own."""
    media = _MEDIA_OF(device.pk)
    for medium in media:
        StorageMedium.device.field.set_cached_value(medium, device)
    if erasures is not None:
        _name_media(erasures, media)
        attempts = _attempts_among(erasures, device, as_of)
    else:
        if as_of is None:
            attempts = erasures_since_received(device, device.received_at)
        else:
            attempts = Erasure.objects.filter(device=device, recorded_at__lte=as_of)
        attempts = list(
            attempts.select_related("technician", "validated_by", "evidence").order_by(
                "recorded_at", "pk"
            )
        )
    needs_validation = validation_required()
    latest, counted = {}, {}
    for erasure in attempts:
        latest[erasure.medium_id] = erasure
        passed = erasure.result == Erasure.Result.PASSED
        if passed and (erasure.validated_by_id is not None or not needs_validation):
            counted[erasure.medium_id] = erasure
    return [
        MediumCoverage(medium=medium, erasure=counted.get(medium.pk), latest=latest.get(medium.pk))
        for medium in media
    ]


def _name_media(erasures, media):
    """Set each erasure's medium from `media` (a medium of another device, which no rule
    should allow, is still read when asked for)."""
    by_pk = {medium.pk: medium for medium in media}
    for erasure in erasures:
        medium = by_pk.get(erasure.medium_id)
        if medium is not None:
            Erasure.medium.field.set_cached_value(erasure, medium)


def _attempts_among(erasures, device, as_of):
    """Of all the device's `erasures`, those the queries above would read, in their order."""
    if as_of is None:
        attempts = [e for e in erasures if e.recorded_at >= device.received_at]
    else:
        attempts = [e for e in erasures if e.recorded_at <= as_of]
    return sorted(attempts, key=lambda erasure: (erasure.recorded_at, erasure.pk))


def expects_media(device):
    """Whether intake says the device holds storage (so having no medium recorded is a gap)."""
    return device.category in BUILT_IN_CATEGORIES or device.storage_type not in (
        "",
        Device.StorageType.NONE,
    )


def device_is_erased(device):
    """Every medium erased or destroyed since the device last entered `received`."""
    coverage = media_coverage(device)
    return bool(coverage) and all(item.erased for item in coverage)


def unerased_media(device):
    """The media still to erase (or destroy); a device with storage but no medium recorded
    yet is one entry of None."""
    coverage = media_coverage(device)
    if not coverage:
        return [None] if expects_media(device) else []
    return [item.medium for item in coverage if not item.erased]


def current_passed_erasures(device, *, as_of=None):
    """The counting erasure of each medium (media without one left out)."""
    return [item.erasure for item in media_coverage(device, as_of=as_of) if item.erased]


def current_passed_erasure(device, *, as_of=None):
    """The latest counting erasure of the device's media, or None (for one-line summaries)."""
    erasures = current_passed_erasures(device, as_of=as_of)
    return max(erasures, key=lambda erasure: erasure.recorded_at) if erasures else None
