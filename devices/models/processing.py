"""What the technicians record about a device: erasure attempts and refurbishment checks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from devices.models.device import Device


class Erasure(models.Model):
    """One data-sanitization attempt, with the fields of a NIST SP 800-88 certificate."""

    class Method(models.TextChoices):
        CLEAR = "clear", _("tyhjennys (Clear)")
        PURGE = "purge", _("puhdistus (Purge)")
        DESTROY = "destroy", _("tuhoaminen (Destroy)")

    class Technique(models.TextChoices):
        OVERWRITE = "overwrite", _("ylikirjoitus")
        ATA_SECURE_ERASE = "ata_secure_erase", _("ATA Secure Erase")
        NVME_SANITIZE = "nvme_sanitize", _("NVMe Sanitize")
        CRYPTO_ERASE = "crypto_erase", _("kryptografinen tyhjennys")
        FACTORY_RESET = "factory_reset", _("tehdasasetusten palautus")
        PHYSICAL_DESTRUCTION = "physical_destruction", _("fyysinen tuhoaminen")

    class Verification(models.TextChoices):
        NONE = "none", _("ei varmennusta")
        SAMPLING = "sampling", _("pistokoe")
        FULL = "full", _("täysi varmennus")

    class Result(models.TextChoices):
        PASSED = "passed", _("onnistui")
        FAILED = "failed", _("epäonnistui")

    device = models.ForeignKey(
        Device, verbose_name=_("laite"), on_delete=models.PROTECT, related_name="erasures"
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teknikko"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("aloitettu"))
    ended_at = models.DateTimeField(_("päättynyt"))
    method = models.CharField(_("menetelmä (NIST SP 800-88)"), max_length=8, choices=Method.choices)
    technique = models.CharField(_("tekniikka"), max_length=24, choices=Technique.choices)
    tool_name = models.CharField(_("työkalu"), max_length=100)
    tool_version = models.CharField(_("työkalun versio"), max_length=50)
    verification = models.CharField(_("varmennus"), max_length=10, choices=Verification.choices)
    result = models.CharField(_("tulos"), max_length=6, choices=Result.choices)
    notes = models.TextField(_("huomiot"), blank=True)
    recorded_at = models.DateTimeField(_("kirjattu"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tietojen tyhjennys")
        verbose_name_plural = _("tietojen tyhjennykset")
        ordering = ["-ended_at"]
        get_latest_by = "ended_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gte=models.F("started_at")),
                name="erasure_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(method__in=["clear", "purge", "destroy"]),
                name="erasure_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(result__in=["passed", "failed"]), name="erasure_result_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["device", "result"], name="erasure_device_result"),
            # The dashboard's monthly counts and failure rate: a range of ended_at.
            models.Index(fields=["ended_at", "result"], name="erasure_ended_result"),
        ]

    def __str__(self):
        return f"{self.device.inventory_code} {self.get_technique_display()} {self.result}"


class RefurbishmentCheck(models.Model):
    """The technician's checklist after erasure; a complete one makes the device ready."""

    CHECK_FIELDS = (
        "os_reinstalled",
        "battery_ok",
        "screen_ok",
        "keyboard_ok",
        "updates_installed",
        "charger_present",
    )

    device = models.ForeignKey(
        Device,
        verbose_name=_("laite"),
        on_delete=models.PROTECT,
        related_name="refurbishment_checks",
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tarkastaja"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("tarkastettu"))
    os_reinstalled = models.BooleanField(_("käyttöjärjestelmä asennettu uudelleen"), default=False)
    battery_ok = models.BooleanField(_("akku kunnossa"), default=False)
    screen_ok = models.BooleanField(_("näyttö kunnossa"), default=False)
    keyboard_ok = models.BooleanField(_("näppäimistö / kosketus kunnossa"), default=False)
    updates_installed = models.BooleanField(_("päivitykset asennettu"), default=False)
    charger_present = models.BooleanField(_("laturi mukana"), default=False)
    notes = models.TextField(_("huomiot"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kunnostustarkastus")
        verbose_name_plural = _("kunnostustarkastukset")
        ordering = ["-checked_at"]

    def __str__(self):
        return f"{self.device.inventory_code} {self.checked_at:%d.%m.%Y}"

    @property
    def is_complete(self):
        return all(getattr(self, name) for name in self.CHECK_FIELDS)
