"""What a batch's erasure certificate says about each device, read in two queries: the
figures the certificate is issued with and the rows its PDF prints.

For the donor a device is erased when it has moved past `erased` (it could not have without
every medium erased) or when every one of its media has an erasure that counts (passed, and
validated when settings.ERASURE_VALIDATION_REQUIRED). The erasure printed for a medium is the
first one that counted: that one removed the donor's data; a later one (after a returned
loan) concerns a client's. A disposed device is disposed, whatever its media went through;
every other device is pending.

The rows are the columns the certificate prints (values_list), not model instances: making
a Device, a StorageMedium and an Erasure with its people for every row, and the prefetch's
queryset for each device, took most of the time before the PDF (0.7 s at 2,000 devices).
"""

from dataclasses import dataclass, field

from django.db.models import F

from devices.erasure_coverage import validation_required
from devices.models import Device, Erasure, EvidenceFile, StorageMedium

Status = Device.Status
# A device in these states was erased (the lifecycle lets none reach them otherwise).
PAST_ERASED = frozenset(
    {Status.ERASED, Status.READY, Status.RESERVED, Status.HANDED_OVER, Status.ON_LOAN}
)
DEVICE_COLUMNS = (
    "pk",
    "inventory_code",
    "manufacturer",
    "model",
    "serial_number",
    "imei",
    "asset_tag",
    "category",
    "disposal_reason",
    "status",
)
# A medium with one of its erasures (None in every erasure column when it has none):
# the medium's own columns, then the erasure's under the names below.
MEDIUM_COLUMNS = ("pk", "device_id", "kind", "model", "capacity_gb", "serial_number")
ERASURE_COLUMNS = {
    "erasure_id": F("erasures__pk"),
    "method": F("erasures__method"),
    "technique": F("erasures__technique"),
    "tool_name": F("erasures__tool_name"),
    "tool_version": F("erasures__tool_version"),
    "verification": F("erasures__verification"),
    "result": F("erasures__result"),
    "failure_reason": F("erasures__failure_reason"),
    "ended_at": F("erasures__ended_at"),
    "technician_id": F("erasures__technician_id"),
    "technician_first_name": F("erasures__technician__first_name"),
    "technician_last_name": F("erasures__technician__last_name"),
    "technician_username": F("erasures__technician__username"),
    "validated_by_id": F("erasures__validated_by_id"),
    "validator_first_name": F("erasures__validated_by__first_name"),
    "validator_last_name": F("erasures__validated_by__last_name"),
    "validator_username": F("erasures__validated_by__username"),
    "validated_at": F("erasures__validated_at"),
    "evidence_id": F("erasures__evidence_id"),
    "evidence_name": F("erasures__evidence__original_name"),
    "evidence_sha256": F("erasures__evidence__sha256"),
    "evidence_kind": F("erasures__evidence__kind"),
}


def full_name(first_name, last_name, username):
    """As User.get_full_name() or username, from the columns."""
    return f"{first_name} {last_name}".strip() or username


@dataclass(frozen=True, slots=True)
class Evidence:
    name: str
    kind: str
    sha256: str

    @property
    def kind_label(self):
        """As EvidenceFile.get_kind_display(), in the language active when printed."""
        return dict(EvidenceFile._meta.get_field("kind").flatchoices).get(self.kind, self.kind)


@dataclass(slots=True)
class MediumRow:
    # Rows of the media query: the medium's columns, with the erasure's of one erasure.
    medium: tuple
    erasure: tuple | None  # the first erasure that counted: it removed the donor's data
    latest: tuple | None  # the latest attempt of any result, for a medium still to erase

    @property
    def awaiting_validation(self):
        return (
            self.erasure is None
            and self.latest is not None
            and self.latest.result == Erasure.Result.PASSED
            and self.latest.validated_by_id is None
        )


@dataclass(slots=True)
class DeviceRow:
    device: tuple  # a row of DEVICE_COLUMNS
    media: list = field(default_factory=list)

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
        """The names of who erased and who validated the erasures printed, each once, sorted."""
        people = {}
        for erasure in self._erasures():
            people[erasure.technician_id] = full_name(
                erasure.technician_first_name,
                erasure.technician_last_name,
                erasure.technician_username,
            )
            if erasure.validated_by_id is not None:
                people[erasure.validated_by_id] = full_name(
                    erasure.validator_first_name,
                    erasure.validator_last_name,
                    erasure.validator_username,
                )
        return sorted(people.values())

    @property
    def evidence(self):
        """The evidence files of the erasures printed, each once, in the order first printed."""
        files = {}
        for erasure in self._erasures():
            if erasure.evidence_id is not None and erasure.evidence_id not in files:
                files[erasure.evidence_id] = Evidence(
                    erasure.evidence_name, erasure.evidence_kind, erasure.evidence_sha256
                )
        return list(files.values())


def _media_by_device(batch, *, needs_validation):
    """device pk -> its MediumRows in pk order, each with its first counting erasure."""
    rows = (
        StorageMedium.objects.filter(device__batch=batch)
        .annotate(**ERASURE_COLUMNS)
        .order_by("pk", "erasures__recorded_at", "erasures__pk")  # oldest erasure first
        .values_list(*MEDIUM_COLUMNS, *ERASURE_COLUMNS, named=True)
    )
    media, by_device = {}, {}
    for row in rows:
        medium = media.get(row.pk)
        if medium is None:
            medium = media[row.pk] = MediumRow(medium=row, erasure=None, latest=None)
            by_device.setdefault(row.device_id, []).append(medium)
        if row.erasure_id is None:
            continue
        medium.latest = row
        if medium.erasure is None and (
            row.result == Erasure.Result.PASSED
            and (row.validated_by_id is not None or not needs_validation)
        ):
            medium.erasure = row
    return by_device


def certificate_rows(batch):
    """The batch's devices sorted into erased, disposed and pending, in two queries."""
    media = _media_by_device(batch, needs_validation=validation_required())
    devices = (
        Device.objects.filter(batch=batch)
        .order_by("inventory_code")
        .values_list(*DEVICE_COLUMNS, named=True)
    )
    rows = CertificateRows()
    for device in devices:
        row = DeviceRow(device=device, media=media.get(device.pk, []))
        if device.status == Status.DISPOSED:
            rows.disposed.append(row)
        elif row.erased:
            rows.erased.append(row)
        else:
            rows.pending.append(row)
    return rows
