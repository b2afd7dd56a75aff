"""What a batch's erasure certificate says about each device, read in a constant number of
queries: the figures the certificate is issued with and the rows its PDF prints.

For the donor a device is erased when it has moved past `erased` (it could not have without
every medium erased) or when every one of its media has an erasure that counts (passed, and
validated when settings.ERASURE_VALIDATION_REQUIRED). The erasure printed for a medium is the
first one that counted: that one removed the donor's data; a later one (after a returned
loan) concerns a client's. A disposed device is disposed, whatever its media went through;
every other device is pending.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from devices.erasure_coverage import validation_required
from devices.models import Device, Erasure, StorageMedium

Status = Device.Status
# A device in these states was erased (the lifecycle lets none reach them otherwise).
PAST_ERASED = frozenset(
    {Status.ERASED, Status.READY, Status.RESERVED, Status.HANDED_OVER, Status.ON_LOAN}
)


@dataclass
class MediumRow:
    medium: StorageMedium
    erasure: Erasure | None  # the first erasure that counted: it removed the donor's data
    latest: Erasure | None  # the latest attempt of any result, for a medium still to erase

    @property
    def awaiting_validation(self):
        return (
            self.erasure is None
            and self.latest is not None
            and self.latest.result == Erasure.Result.PASSED
            and self.latest.validated_by_id is None
        )


@dataclass
class DeviceRow:
    device: Device
    media: list

    @property
    def erased(self):
        if self.device.status in PAST_ERASED:
            return True
        return bool(self.media) and all(row.erasure is not None for row in self.media)

    @property
    def returned_unerased(self):
        """Returned to the donor with a medium not erased: the data is the donor's again."""
        if self.device.disposal_reason != Device.DisposalReason.RETURNED:
            return False
        return not self.media or any(row.erasure is None for row in self.media)


@dataclass
class CertificateRows:
    erased: list = field(default_factory=list)
    disposed: list = field(default_factory=list)
    pending: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.erased) + len(self.disposed) + len(self.pending)

    @property
    def counts(self):
        """The figures an ErasureCertificate stores, by field name."""
        return {
            "device_count": self.total,
            "erased_count": len(self.erased),
            "pending_count": len(self.pending),
            "disposed_count": len(self.disposed),
        }

    @property
    def is_partial(self):
        return bool(self.pending)

    def _erasures(self):
        for row in [*self.erased, *self.disposed, *self.pending]:
            for medium in row.media:
                if medium.erasure is not None:
                    yield medium.erasure

    @property
    def people(self):
        """Who erased and who validated the erasures printed, each once, by name."""
        people = {}
        for erasure in self._erasures():
            people[erasure.technician_id] = erasure.technician
            if erasure.validated_by_id is not None:
                people[erasure.validated_by_id] = erasure.validated_by
        return sorted(people.values(), key=lambda user: user.get_full_name() or user.username)

    @property
    def evidence(self):
        """The evidence files of the erasures printed, each once, in the order first printed."""
        files = {}
        for erasure in self._erasures():
            if erasure.evidence_id is not None:
                files.setdefault(erasure.evidence_id, erasure.evidence)
        return list(files.values())


def _medium_rows(device, *, needs_validation):
    rows = []
    for medium in device.media.all():
        first_counting = latest = None
        for erasure in medium.erasures.all():  # oldest first
            latest = erasure
            counts = erasure.result == Erasure.Result.PASSED and (
                erasure.validated_by_id is not None or not needs_validation
            )
            if counts and first_counting is None:
                first_counting = erasure
        rows.append(MediumRow(medium=medium, erasure=first_counting, latest=latest))
    return rows


def certificate_rows(batch):
    """The batch's devices sorted into erased, disposed and pending, in three queries."""
    erasures = Erasure.objects.select_related("technician", "validated_by", "evidence").order_by(
        "recorded_at", "pk"
    )
    media = StorageMedium.objects.order_by("pk").prefetch_related(
        Prefetch("erasures", queryset=erasures)
    )
    devices = (
        Device.objects.filter(batch=batch)
        .prefetch_related(Prefetch("media", queryset=media))
        .order_by("inventory_code")
    )
    needs_validation = validation_required()
    rows = CertificateRows()
    for device in devices:
        row = DeviceRow(
            device=device, media=_medium_rows(device, needs_validation=needs_validation)
        )
        if device.status == Status.DISPOSED:
            rows.disposed.append(row)
        elif row.erased:
            rows.erased.append(row)
        else:
            rows.pending.append(row)
    return rows
