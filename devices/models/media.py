"""A device's storage media and the original evidence files of their erasures.

An erasure is recorded per medium (NIST SP 800-88 Rev. 1 Appendix G records each
medium): a laptop with an HDD and an NVMe drive is erased only when both are.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Replace
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from devices.models.device import Device


class MediumKind(models.TextChoices):
    HDD = "hdd", "HDD"
    SSD = "ssd", "SSD (SATA)"
    NVME = "nvme", "NVMe SSD"
    EMMC = "emmc", _("eMMC / flash")
    REMOVABLE = "removable", _("irrotettava (muistikortti, USB)")
    # Only for erasures recorded before media were: the old record did not say which.
    UNKNOWN = "unknown", _("ei tiedossa (vanha kirjaus)")


# A device's storage type at intake, as the medium created for it.
KIND_BY_STORAGE_TYPE = {
    Device.StorageType.HDD: MediumKind.HDD,
    Device.StorageType.SSD: MediumKind.SSD,
    Device.StorageType.NVME: MediumKind.NVME,
    Device.StorageType.EMMC: MediumKind.EMMC,
}
# Phones and tablets have one built-in medium, always.
BUILT_IN_CATEGORIES = {Device.Category.PHONE, Device.Category.TABLET}


def medium_serial_key(serial):
    """A medium serial as matching compares it: case and spaces ignored."""
    return serial.lower().replace(" ", "")


class StorageMedium(models.Model):
    """One storage medium of a device: what must be erased (or destroyed) before reuse."""

    Kind = MediumKind

    device = models.ForeignKey(
        Device, verbose_name=_("laite"), on_delete=models.PROTECT, related_name="media"
    )
    kind = models.CharField(_("tyyppi"), max_length=10, choices=MediumKind.choices)
    model = models.CharField(_("malli"), max_length=100, blank=True)
    serial_number = models.CharField(_("sarjanumero"), max_length=100, blank=True)
    capacity_gb = models.PositiveIntegerField(_("koko (Gt)"), null=True, blank=True)
    built_in = models.BooleanField(
        _("sisäänrakennettu"),
        default=False,
        help_text=_("Puhelimen tai tabletin sisäinen muisti, jota ei voi irrottaa."),
    )
    added_at = models.DateTimeField(_("lisätty"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tallennusväline")
        verbose_name_plural = _("tallennusvälineet")
        ordering = ["device", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MediumKind.values), name="medium_kind_valid"
            ),
            # The same drive cannot be listed twice on one device; blank serials are
            # allowed (a phone's built-in memory has none the technician can read).
            models.UniqueConstraint(
                "device",
                Replace(Lower("serial_number"), models.Value(" "), models.Value("")),
                condition=~Q(serial_number=""),
                name="medium_serial_unique_per_device",
            ),
        ]

    def __str__(self):
        label = self.get_kind_display()
        if self.model:
            label = f"{label} {self.model}"
        if self.serial_number:
            label = f"{label} ({self.serial_number})"
        return label


class EvidenceKind(models.TextChoices):
    NWIPE_LOG = "nwipe_log", _("nwipe-loki")
    NWIPE_PDF = "nwipe_pdf", _("nwipe-raportti (PDF)")
    WORKBENCH_JSON = "workbench", _("eReuse Workbench -tilannekuva (JSON)")


class EvidenceFile(models.Model):
    """An original wipe-tool report (nwipe log or PDF, Workbench snapshot), kept unchanged."""

    Kind = EvidenceKind

    file = models.FileField(_("tiedosto"), upload_to="erasure-evidence/%Y/%m/", max_length=255)
    original_name = models.CharField(_("tiedoston nimi"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("koko (tavua)"))
    kind = models.CharField(_("laji"), max_length=10, choices=EvidenceKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tuoja"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("tuotu"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tyhjennyksen todiste")
        verbose_name_plural = _("tyhjennysten todisteet")
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values), name="evidence_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.sha256[:12]}…)"
