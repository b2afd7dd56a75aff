"""The device: what it is, where it came from and where it is in its lifecycle.

Only devices.lifecycle writes the status; the model guards against any other writer."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CharField, Func, Q, Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from devices.models.donors import DonationBatch
from devices.validators import validate_imei

STATUS_WRITE_REFUSED = (
    "Device.status may only change through devices.lifecycle; "
    "direct writes would skip the locked, recorded transition."
)


class StatusWriteError(RuntimeError):
    """A device's status was written outside `devices.lifecycle`."""


# The fields only devices.lifecycle writes, always together with status.
# What is known of a device when it comes in: typed at intake, read from a device list,
# changed by a correction. Never the status and its companions (LIFECYCLE_FIELDS), the
# code, the batch or who logged it.
INTAKE_FIELDS = (
    "category",
    "manufacturer",
    "model",
    "serial_number",
    "imei",
    "asset_tag",
    "cpu",
    "ram_gb",
    "storage_gb",
    "storage_type",
    "screen_inches",
    "operating_system",
    "condition_grade",
    "has_charger",
    "has_case",
    "accessories_note",
    "notes",
)
LIFECYCLE_FIELDS = frozenset({"status", "status_changed_at", "received_at", "disposal_reason"})

SERIAL_ALREADY_IN_INVENTORY = _(
    "Sarjanumero %(serial)s on jo inventaariossa (laite %(code)s). Tarkista sarjanumero."
)
IMEI_ALREADY_IN_INVENTORY = _("IMEI %(imei)s on jo inventaariossa (laite %(code)s).")
IMEI_REQUIRED_FOR_PHONE = _("Puhelimelle IMEI on pakollinen (15 numeroa, *#06# näyttää sen).")


def serial_key(expression):
    """A serial as the inventory compares it: case and spaces ignored."""
    # The spaces written into the SQL, not passed as parameters: SQLite uses the
    # unique_device_serial index for a lookup only when the expressions are identical.
    return Func(
        Lower(expression), template="REPLACE(%(expressions)s, ' ', '')", output_field=CharField()
    )


def serial_key_text(serial):
    """serial_key() in Python, for comparing a list's serials before they are saved."""
    return serial.lower().replace(" ", "")


class DeviceQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if LIFECYCLE_FIELDS & set(kwargs):
            raise StatusWriteError(STATUS_WRITE_REFUSED)
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        if LIFECYCLE_FIELDS & set(fields):
            raise StatusWriteError(STATUS_WRITE_REFUSED)
        return super().bulk_update(objs, fields, batch_size=batch_size)


# Category and Status are defined at module level so that Device.Meta can build its
# constraints from them (a nested Meta cannot see the model's class body); the model
# offers them as Device.Category and Device.Status.
class DeviceCategory(models.TextChoices):
    LAPTOP = "laptop", _("kannettava tietokone")
    DESKTOP = "desktop", _("pöytäkone")
    TABLET = "tablet", _("tabletti")
    PHONE = "phone", _("puhelin")
    OTHER = "other", _("muu")


class DeviceStatus(models.TextChoices):
    RECEIVED = "received", _("vastaanotettu")
    ERASED = "erased", _("tyhjennetty")
    READY = "ready", _("valmis luovutettavaksi")
    RESERVED = "reserved", _("varattu")
    HANDED_OVER = "handed_over", _("luovutettu")
    ON_LOAN = "on_loan", _("lainassa")
    DISPOSED = "disposed", _("poistettu")


class Device(models.Model):
    Category = DeviceCategory
    Status = DeviceStatus

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
                condition=Q(status__in=DeviceStatus.values), name="device_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=DeviceCategory.values), name="device_category_valid"
            ),
            # A disposed device always says how; no other device has a reason.
            models.CheckConstraint(
                condition=(Q(status=DeviceStatus.DISPOSED) & ~Q(disposal_reason=""))
                | (~Q(status=DeviceStatus.DISPOSED) & Q(disposal_reason="")),
                name="device_disposal_reason_iff_disposed",
            ),
            # "5cg 8123xyz" is the same serial as "5CG8123XYZ": a technician types
            # what the sticker shows, a donor's list may have it in any case or spacing.
            models.UniqueConstraint(
                serial_key("serial_number"),
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

    def clean(self):
        """A phone has an IMEI; a serial or IMEI already in the inventory is refused."""
        errors = self.own_rule_errors()
        errors.update(self._known_identifier_errors())
        if errors:
            raise ValidationError(errors)

    def own_rule_errors(self):
        """The rules of the device's own fields, which need no query (a phone has an IMEI)."""
        errors = {}
        if self.category == self.Category.PHONE and not self.imei:
            errors["imei"] = ValidationError(IMEI_REQUIRED_FOR_PHONE, code="imei_required")
        return errors

    def _known_identifier_errors(self):
        """The unique_device_serial and unique_device_imei constraints, with messages
        that name the device which already has the serial or IMEI."""
        others = type(self)._base_manager.exclude(pk=self.pk).only("inventory_code")
        errors = {}
        if self.serial_number:
            # The constraint's own expression, so that check and index agree exactly.
            # Unordered and sliced rather than first(): an ORDER BY makes SQLite walk
            # the list order index instead of looking the serial up.
            known = next(
                iter(
                    others.exclude(serial_number="")
                    .alias(serial_key=serial_key("serial_number"))
                    .filter(serial_key=serial_key(Value(self.serial_number)))
                    .order_by()[:1]
                ),
                None,
            )
            if known:
                errors["serial_number"] = ValidationError(
                    SERIAL_ALREADY_IN_INVENTORY,
                    code="duplicate_serial",
                    params={"serial": self.serial_number, "code": known.inventory_code},
                )
        if self.imei:
            known = others.filter(imei=self.imei).first()
            if known:
                errors["imei"] = ValidationError(
                    IMEI_ALREADY_IN_INVENTORY,
                    code="duplicate_imei",
                    params={"imei": self.imei, "code": known.inventory_code},
                )
        return errors
