from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from devices.validators import validate_business_id, validate_imei

STATUS_WRITE_REFUSED = (
    "Device.status may only change through devices.lifecycle; "
    "direct writes would skip the locked, recorded transition."
)


class StatusWriteError(RuntimeError):
    """A device's status was written outside `devices.lifecycle`."""


class Donor(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("yritys")
        PUBLIC_BODY = "public", _("julkinen toimija")
        SCHOOL = "school", _("oppilaitos")
        ASSOCIATION = "association", _("yhdistys")
        PRIVATE_PERSON = "private", _("yksityishenkilö")

    name = models.CharField(_("nimi"), max_length=200)
    kind = models.CharField(_("tyyppi"), max_length=20, choices=Kind.choices)
    business_id = models.CharField(
        _("Y-tunnus"), max_length=9, blank=True, validators=[validate_business_id]
    )
    contact_person = models.CharField(_("yhteyshenkilö"), max_length=200, blank=True)
    email = models.EmailField(_("sähköposti"), blank=True)
    phone = models.CharField(_("puhelin"), max_length=40, blank=True)
    address = models.TextField(_("osoite"), blank=True)
    language = models.CharField(
        _("asiointikieli"), max_length=2, choices=settings.LANGUAGES, default="fi"
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("käyttäjät"),
        related_name="donor_organisations",
        blank=True,
    )
    created_at = models.DateTimeField(_("luotu"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lahjoittaja")
        verbose_name_plural = _("lahjoittajat")
        ordering = ["name"]
        constraints = [
            # Organisations are identified by their business ID; private persons have none.
            models.CheckConstraint(
                condition=Q(kind="private", business_id="") | ~Q(kind="private"),
                name="private_donor_has_no_business_id",
            ),
            models.UniqueConstraint(
                fields=["business_id"],
                condition=~Q(business_id=""),
                name="unique_donor_business_id",
            ),
        ]

    def __str__(self):
        return self.name


class DonationBatch(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("ilmoitettu")
        RECEIVED = "received", _("vastaanotettu")
        PROCESSED = "processed", _("käsitelty")

    class Delivery(models.TextChoices):
        PICKUP = "pickup", _("nouto lahjoittajalta")
        DELIVERY = "delivery", _("lahjoittaja toimittaa")

    donor = models.ForeignKey(
        Donor, verbose_name=_("lahjoittaja"), on_delete=models.PROTECT, related_name="batches"
    )
    reference = models.CharField(_("viite"), max_length=20, unique=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ilmoittaja"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("ilmoitettu"))
    declared_count = models.PositiveIntegerField(_("ilmoitettu laitemäärä"))
    declared_kinds = models.CharField(_("laitetyypit"), max_length=200, blank=True)
    delivery = models.CharField(
        _("toimitustapa"), max_length=10, choices=Delivery.choices, default=Delivery.DELIVERY
    )
    pickup_address = models.TextField(_("nouto-osoite"), blank=True)
    pickup_window = models.CharField(_("noutoaika"), max_length=200, blank=True)
    wants_certificate = models.BooleanField(_("haluaa tyhjennystodistuksen"), default=True)
    status = models.CharField(
        _("tila"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    received_at = models.DateTimeField(_("vastaanotettu"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastaanottaja"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    notes = models.TextField(_("lisätiedot"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lahjoituserä")
        verbose_name_plural = _("lahjoituserät")
        ordering = ["-registered_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["registered", "received", "processed"]),
                name="batch_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="registered") | Q(received_at__isnull=False),
                name="batch_received_has_time",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("devices:batch_detail", kwargs={"reference": self.reference})


class BatchListItem(models.Model):
    """One row of the device list a donor sent with the batch; prefills intake forms."""

    batch = models.ForeignKey(DonationBatch, on_delete=models.CASCADE, related_name="list_items")
    row_number = models.PositiveIntegerField(_("rivi"))
    category = models.CharField(_("laji"), max_length=10)
    manufacturer = models.CharField(_("valmistaja"), max_length=100, blank=True)
    model = models.CharField(_("malli"), max_length=100, blank=True)
    serial_number = models.CharField(_("sarjanumero"), max_length=100, blank=True)
    asset_tag = models.CharField(_("lahjoittajan inventaariotunnus"), max_length=100, blank=True)
    device = models.OneToOneField(
        "Device", on_delete=models.SET_NULL, null=True, blank=True, related_name="list_item"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lahjoittajan laiteluettelon rivi")
        verbose_name_plural = _("lahjoittajan laiteluettelon rivit")
        ordering = ["batch", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="unique_list_row"),
        ]

    def __str__(self):
        return f"{self.batch} #{self.row_number}"


# The fields only devices.lifecycle writes, always together with status.
LIFECYCLE_FIELDS = frozenset({"status", "status_changed_at", "received_at", "disposal_reason"})


class DeviceQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if LIFECYCLE_FIELDS & set(kwargs):
            raise StatusWriteError(STATUS_WRITE_REFUSED)
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        if LIFECYCLE_FIELDS & set(fields):
            raise StatusWriteError(STATUS_WRITE_REFUSED)
        return super().bulk_update(objs, fields, batch_size=batch_size)


class Device(models.Model):
    class Category(models.TextChoices):
        LAPTOP = "laptop", _("kannettava tietokone")
        DESKTOP = "desktop", _("pöytäkone")
        TABLET = "tablet", _("tabletti")
        PHONE = "phone", _("puhelin")
        OTHER = "other", _("muu")

    class Status(models.TextChoices):
        RECEIVED = "received", _("vastaanotettu")
        ERASED = "erased", _("tyhjennetty")
        READY = "ready", _("valmis luovutettavaksi")
        RESERVED = "reserved", _("varattu")
        HANDED_OVER = "handed_over", _("luovutettu")
        ON_LOAN = "on_loan", _("lainassa")
        DISPOSED = "disposed", _("poistettu")

    class Grade(models.TextChoices):
        A = "A", _("A – kuin uusi")
        B = "B", _("B – käytön jälkiä")
        C = "C", _("C – selviä jälkiä, toimii")

    class StorageType(models.TextChoices):
        HDD = "hdd", "HDD"
        SSD = "ssd", "SSD (SATA)"
        NVME = "nvme", "NVMe SSD"
        EMMC = "emmc", _("eMMC / flash")
        NONE = "none", _("ei tallennustilaa")

    class DisposalReason(models.TextChoices):
        EWASTE = "ewaste", _("kierrätetty elektroniikkaromuna")
        PARTS = "parts", _("käytetty varaosiksi")
        RETURNED = "returned", _("palautettu lahjoittajalle")

    inventory_code = models.CharField(_("inventaariokoodi"), max_length=16, unique=True)
    batch = models.ForeignKey(
        DonationBatch, verbose_name=_("erä"), on_delete=models.PROTECT, related_name="devices"
    )
    category = models.CharField(_("laji"), max_length=10, choices=Category.choices)
    manufacturer = models.CharField(_("valmistaja"), max_length=100)
    model = models.CharField(_("malli"), max_length=100)
    serial_number = models.CharField(_("sarjanumero"), max_length=100, blank=True)
    imei = models.CharField(_("IMEI"), max_length=15, blank=True, validators=[validate_imei])
    asset_tag = models.CharField(_("lahjoittajan inventaariotunnus"), max_length=100, blank=True)
    cpu = models.CharField(_("suoritin"), max_length=100, blank=True)
    ram_gb = models.PositiveIntegerField(_("muisti (Gt)"), null=True, blank=True)
    storage_gb = models.PositiveIntegerField(_("tallennustila (Gt)"), null=True, blank=True)
    storage_type = models.CharField(
        _("tallennustilan tyyppi"), max_length=8, choices=StorageType.choices, blank=True
    )
    screen_inches = models.DecimalField(
        _("näytön koko (tuumaa)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    operating_system = models.CharField(_("käyttöjärjestelmä"), max_length=100, blank=True)
    condition_grade = models.CharField(_("kuntoluokka"), max_length=1, choices=Grade.choices)
    has_charger = models.BooleanField(_("laturi mukana"), default=False)
    has_case = models.BooleanField(_("suojakotelo mukana"), default=False)
    accessories_note = models.CharField(_("muut tarvikkeet"), max_length=200, blank=True)
    notes = models.TextField(_("huomiot"), blank=True)
    status = models.CharField(
        _("tila"), max_length=12, choices=Status.choices, default=Status.RECEIVED, editable=False
    )
    status_changed_at = models.DateTimeField(_("tila muuttui"), editable=False)
    # When the device last entered `received` (intake or a returned loan): only
    # erasures recorded after it count, so a returned loan is erased again.
    received_at = models.DateTimeField(_("vastaanotettu"), editable=False)
    disposal_reason = models.CharField(
        _("poiston syy"), max_length=10, choices=DisposalReason.choices, blank=True, editable=False
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kirjaaja"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    logged_at = models.DateTimeField(_("kirjattu"))
    history = HistoricalRecords()

    objects = DeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("laite")
        verbose_name_plural = _("laitteet")
        ordering = ["-logged_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "received",
                        "erased",
                        "ready",
                        "reserved",
                        "handed_over",
                        "on_loan",
                        "disposed",
                    ]
                ),
                name="device_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(category__in=["laptop", "desktop", "tablet", "phone", "other"]),
                name="device_category_valid",
            ),
            # A disposed device always says how; no other device has a reason.
            models.CheckConstraint(
                condition=(Q(status="disposed") & ~Q(disposal_reason=""))
                | (~Q(status="disposed") & Q(disposal_reason="")),
                name="device_disposal_reason_iff_disposed",
            ),
            models.UniqueConstraint(
                fields=["serial_number"],
                condition=~Q(serial_number=""),
                name="unique_device_serial",
            ),
            models.UniqueConstraint(
                fields=["imei"], condition=~Q(imei=""), name="unique_device_imei"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "category"], name="device_status_category"),
            models.Index(fields=["status_changed_at"], name="device_status_changed"),
            # The device list's order, so that a deep page and a filtered first page
            # walk an index instead of sorting the whole table.
            models.Index(fields=["-logged_at", "-id"], name="device_list_order"),
            models.Index(fields=["status", "-logged_at", "-id"], name="device_status_list_order"),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The status as last read from or written to the database (None if deferred).
        self._saved_status = self.__dict__.get("status")
        self._status_write_allowed = False

    def __str__(self):
        return f"{self.inventory_code} {self.manufacturer} {self.model}"

    def save(self, *args, **kwargs):
        # Guard, not a rule: the lifecycle module is the only writer of status.
        if self._state.adding:
            wrote_status = self.status != self.Status.RECEIVED
        else:
            wrote_status = self._saved_status is not None and self.status != self._saved_status
        if wrote_status and not self._status_write_allowed:
            raise StatusWriteError(STATUS_WRITE_REFUSED)
        if not self._state.adding and not self._status_write_allowed:
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and LIFECYCLE_FIELDS & set(update_fields):
                raise StatusWriteError(STATUS_WRITE_REFUSED)
            # A copy read before a transition must not write its old status back
            # (nor record it in the history): take the lifecycle fields from the
            # database and leave them out of the UPDATE.
            current = type(self)._base_manager.filter(pk=self.pk).values(*LIFECYCLE_FIELDS).first()
            if current:
                self.__dict__.update(current)
            if update_fields is None:
                kwargs["update_fields"] = [
                    field.name
                    for field in self._meta.concrete_fields
                    if not field.primary_key and field.name not in LIFECYCLE_FIELDS
                ]
        super().save(*args, **kwargs)
        self._saved_status = self.status
        self._status_write_allowed = False

    def get_absolute_url(self):
        return reverse("devices:device_detail", kwargs={"code": self.inventory_code})

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._saved_status = self.__dict__.get("status")


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
