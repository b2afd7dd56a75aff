"""The donor's certificate of sanitization for a batch, after NIST SP 800-88 Rev. 1, App. G.

Each device appears once: sanitized (with the erasure that removed the donor's
data), disposed (with how), or pending. While any device is pending the
certificate says that it is partial.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone, translation

from devices.models import Device, DonationBatch, Erasure
from kierratys.pdf import render_pdf

CERTIFICATE_TEMPLATE = "devices/certificate_pdf.html"


@dataclass
class CertificateRows:
    sanitized: list = field(default_factory=list)
    disposed: list = field(default_factory=list)
    pending: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.sanitized) + len(self.disposed) + len(self.pending)

    @property
    def is_partial(self):
        return bool(self.pending)

    @property
    def technicians(self):
        people = {}
        for device in [*self.sanitized, *self.disposed]:
            if device.erasure is not None:
                people[device.erasure.technician_id] = device.erasure.technician
        return sorted(people.values(), key=lambda user: user.get_full_name() or user.username)


def certificate_rows(batch):
    """The batch's devices sorted into sanitized, disposed and pending, in three queries."""
    successful = (
        Erasure.objects.filter(result=Erasure.Result.PASSED)
        .select_related("technician")
        .order_by("recorded_at")
    )
    devices = (
        Device.objects.filter(batch=batch)
        .prefetch_related(Prefetch("erasures", queryset=successful, to_attr="passed_erasures"))
        .order_by("inventory_code")
    )
    rows = CertificateRows()
    for device in devices:
        # The first passed erasure is the one that removed the donor's data;
        # later ones (after a returned loan) concern clients' data.
        device.erasure = device.passed_erasures[0] if device.passed_erasures else None
        if device.status == Device.Status.DISPOSED:
            rows.disposed.append(device)
        elif device.erasure is not None:
            rows.sanitized.append(device)
        else:
            rows.pending.append(device)
    return rows


def batch_certificate_pdf(batch):
    """The certificate PDF of `batch` in the donor's language."""
    batch = DonationBatch.objects.select_related("donor").get(pk=batch.pk)
    rows = certificate_rows(batch)
    context = {
        "batch": batch,
        "donor": batch.donor,
        "rows": rows,
        "issued_at": timezone.localtime(),
        "language": batch.donor.language,
    }
    with translation.override(batch.donor.language):
        return render_pdf(CERTIFICATE_TEMPLATE, context)


def certificate_filename(batch):
    return f"tyhjennystodistus-{batch.reference}.pdf"
