"""What the technicians record about a device: erasure attempts and refurbishment checks."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from devices.models.device import Device
from devices.models.media import EvidenceFile, StorageMedium


# Method, Technique and Result are defined at module level so that Erasure.Meta can
# build its constraints from them; the model offers them as Erasure.Method etc.
class ErasureMethod(models.TextChoices):
    CLEAR = "clear", _("tyhjennys (Clear)")
    PURGE = "purge", _("puhdistus (Purge)")
    DESTROY = "destroy", _("tuhoaminen (Destroy)")


class ErasureTechnique(models.TextChoices):
    OVERWRITE = "overwrite", _("ylikirjoitus")
    ATA_SECURE_ERASE = "ata_secure_erase", _("ATA Secure Erase")
    NVME_SANITIZE = "nvme_sanitize", _("NVMe Sanitize")
    CRYPTO_ERASE = "crypto_erase", _("kryptografinen tyhjennys")
    FACTORY_RESET = "factory_reset", _("tehdasasetusten palautus")
    PHYSICAL_DESTRUCTION = "physical_destruction", _("fyysinen tuhoaminen")


class ErasureResult(models.TextChoices):
    PASSED = "passed", _("onnistui")
    FAILED = "failed", _("epäonnistui")


# Which techniques belong to which NIST SP 800-88 category. Modern phone and
# tablet factory resets erase the encryption key, which NIST counts as Purge.
TECHNIQUES_BY_METHOD = {
    ErasureMethod.CLEAR: {ErasureTechnique.OVERWRITE, ErasureTechnique.FACTORY_RESET},
    ErasureMethod.PURGE: {
        ErasureTechnique.ATA_SECURE_ERASE,
        ErasureTechnique.NVME_SANITIZE,
        ErasureTechnique.CRYPTO_ERASE,
        ErasureTechnique.FACTORY_RESET,
    },
    ErasureMethod.DESTROY: {ErasureTechnique.PHYSICAL_DESTRUCTION},
}
FACTORY_RESET_CATEGORIES = {Device.Category.PHONE, Device.Category.TABLET}
# Clocks of a workstation and the server may differ a little.
CLOCK_SKEW = datetime.timedelta(minutes=5)

ENDS_BEFORE_START = _("Päättymisaika ei voi olla ennen aloitusaikaa.")
ENDS_IN_FUTURE = _("Päättymisaika ei voi olla tulevaisuudessa.")
TECHNIQUE_NOT_IN_METHOD = _(
    "Tekniikka ”%(technique)s” ei kuulu menetelmään ”%(method)s”. Sopivat tekniikat: %(allowed)s."
)
MEDIUM_OF_ANOTHER_DEVICE = _("Tallennusväline kuuluu toiseen laitteeseen.")
VALIDATOR_IS_TECHNICIAN = _(
    "Tyhjennyksen tarkastajan on oltava eri henkilö kuin tyhjennyksen tehnyt teknikko."
)
FACTORY_RESET_ONLY_MOBILE = _(
    "Tehdasasetusten palautus on tyhjennystapa vain puhelimille ja tableteille; "
    "tämä laite on ”%(category)s”."
)


class Erasure(models.Model):
    """One data-sanitization attempt on one storage medium, with the fields of a
    NIST SP 800-88 Rev. 1 Appendix G certificate."""

    Method = ErasureMethod
    Technique = ErasureTechnique
    Result = ErasureResult

    class Verification(models.TextChoices):
        NONE = "none", _("ei varmennusta")
        SAMPLING = "sampling", _("pistokoe")
        FULL = "full", _("täysi varmennus")

    device = models.ForeignKey(
        Device, verbose_name=_("laite"), on_delete=models.PROTECT, related_name="erasures"
    )
    # The device is the medium's; kept on the erasure because every list, figure and
    # certificate asks "which erasures of this device", and clean() holds them equal.
    medium = models.ForeignKey(
        StorageMedium,
        verbose_name=_("tallennusväline"),
        on_delete=models.PROTECT,
        related_name="erasures",
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
    # Why a failed erasure failed, in words (from the wipe tool's report or the technician).
    failure_reason = models.TextField(_("epäonnistumisen syy"), blank=True)
    evidence = models.ForeignKey(
        EvidenceFile,
        verbose_name=_("todiste"),
        on_delete=models.PROTECT,
        related_name="erasures",
        null=True,
        blank=True,
    )
    # Appendix G "validation": a second person checked the record (when the programme asks).
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tarkastaja"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    validated_at = models.DateTimeField(_("tarkastettu"), null=True, blank=True)
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
                condition=Q(method__in=ErasureMethod.values), name="erasure_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(result__in=ErasureResult.values), name="erasure_result_valid"
            ),
            models.CheckConstraint(
                condition=Q(validated_by__isnull=True, validated_at__isnull=True)
                | Q(validated_by__isnull=False, validated_at__isnull=False),
                name="erasure_validated_by_and_at",
            ),
            models.CheckConstraint(
                condition=Q(validated_by__isnull=True) | ~Q(validated_by=models.F("technician")),
                name="erasure_validator_not_technician",
            ),
        ]
        indexes = [
            models.Index(fields=["device", "result"], name="erasure_device_result"),
            # The dashboard's monthly counts and failure rate: a range of ended_at.
            models.Index(fields=["ended_at", "result"], name="erasure_ended_result"),
        ]

    def __str__(self):
        return f"{self.device.inventory_code} {self.get_technique_display()} {self.result}"

    def clean(self):
        """Times in order and not ahead of now; the technique fits the category and the device."""
        errors = {}
        if self.medium_id is not None and self.device_id is not None:
            if self.medium.device_id != self.device_id:
                errors.setdefault("medium", []).append(
                    ValidationError(MEDIUM_OF_ANOTHER_DEVICE, code="medium_of_another_device")
                )
        if self.validated_by_id is not None and self.validated_by_id == self.technician_id:
            errors.setdefault("validated_by", []).append(
                ValidationError(VALIDATOR_IS_TECHNICIAN, code="validator_is_technician")
            )
        if self.ended_at and self.started_at and self.ended_at < self.started_at:
            errors.setdefault("ended_at", []).append(
                ValidationError(ENDS_BEFORE_START, code="ends_before_start")
            )
        if self.ended_at and self.ended_at > timezone.now() + CLOCK_SKEW:
            errors.setdefault("ended_at", []).append(
                ValidationError(ENDS_IN_FUTURE, code="ends_in_future")
            )
        technique = self.technique if self.technique in ErasureTechnique.values else None
        allowed = TECHNIQUES_BY_METHOD.get(self.method)
        if technique and allowed is not None and technique not in allowed:
            errors.setdefault("technique", []).append(
                ValidationError(
                    TECHNIQUE_NOT_IN_METHOD,
                    code="technique_not_in_method",
                    params={
                        "technique": ErasureTechnique(technique).label,
                        "method": ErasureMethod(self.method).label,
                        # In the order of the choices, so the message reads the same every time.
                        "allowed": ", ".join(
                            str(choice.label) for choice in ErasureTechnique if choice in allowed
                        ),
                    },
                )
            )
        if (
            technique == ErasureTechnique.FACTORY_RESET
            and self.device_id is not None
            and self.device.category not in FACTORY_RESET_CATEGORIES
        ):
            errors.setdefault("technique", []).append(
                ValidationError(
                    FACTORY_RESET_ONLY_MOBILE,
                    code="factory_reset_only_mobile",
                    params={"category": self.device.get_category_display()},
                )
            )
        if errors:
            raise ValidationError(errors)


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
        return f"{self.device.inventory_code} {date_format(timezone.localtime(self.checked_at))}"

    @property
    def is_complete(self):
        return all(getattr(self, name) for name in self.CHECK_FIELDS)
