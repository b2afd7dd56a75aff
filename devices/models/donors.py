"""Donors, their donation batches and the device lists they send with them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from devices.validators import validate_business_id

PRIVATE_DONOR_HAS_NO_BUSINESS_ID = _("Yksityishenkilöllä ei ole Y-tunnusta: jätä kenttä tyhjäksi.")
PICKUP_ADDRESS_REQUIRED = _("Kerro nouto-osoite, kun erä noudetaan lahjoittajalta.")
DECLARED_COUNT_TOO_SMALL = _("Ilmoita vähintään yksi laite.")
BUSINESS_ID_ALREADY_REGISTERED = _("Y-tunnuksella %(business_id)s on jo lahjoittaja: %(name)s.")


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

    def get_absolute_url(self):
        return reverse("devices:donor_detail", kwargs={"pk": self.pk})

    def clean(self):
        """A private person has no business ID; an organisation's is not another donor's.

        The constraints' own messages would name only the constraint; these name the field
        (and the donor that has the ID), and Django then skips the constraint on the field."""
        if self.kind == self.Kind.PRIVATE_PERSON and self.business_id:
            raise ValidationError(
                {"business_id": ValidationError(PRIVATE_DONOR_HAS_NO_BUSINESS_ID, code="private")}
            )
        if self.business_id:
            known = type(self)._default_manager.exclude(pk=self.pk)
            known = known.filter(business_id=self.business_id).first()
            if known:
                raise ValidationError(
                    {
                        "business_id": ValidationError(
                            BUSINESS_ID_ALREADY_REGISTERED,
                            code="duplicate_business_id",
                            params={"business_id": self.business_id, "name": known.name},
                        )
                    }
                )


# At module level so that DonationBatch.Meta can build its constraints from it.
class BatchStatus(models.TextChoices):
    REGISTERED = "registered", _("ilmoitettu")
    RECEIVED = "received", _("vastaanotettu")
    PROCESSED = "processed", _("käsitelty")
    # Registered by mistake or no longer coming: only a registered batch is cancelled.
    CANCELLED = "cancelled", _("peruttu")


class DonationBatch(models.Model):
    Status = BatchStatus

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
    cancelled_at = models.DateTimeField(_("peruttu"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("perunut"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    cancel_reason = models.CharField(_("peruutuksen syy"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lahjoituserä")
        verbose_name_plural = _("lahjoituserät")
        ordering = ["-registered_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BatchStatus.values), name="batch_status_valid"
            ),
            # A cancelled batch was never received: it was cancelled while registered.
            models.CheckConstraint(
                condition=Q(status__in=[BatchStatus.REGISTERED, BatchStatus.CANCELLED])
                | Q(received_at__isnull=False),
                name="batch_received_has_time",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=BatchStatus.CANCELLED)
                    & Q(cancelled_at__isnull=False)
                    & ~Q(cancel_reason="")
                )
                | (~Q(status=BatchStatus.CANCELLED) & Q(cancelled_at__isnull=True)),
                name="batch_cancelled_has_time_and_reason",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("devices:batch_detail", kwargs={"reference": self.reference})

    def clean(self):
        """A pickup needs an address; a batch declares at least one device."""
        errors = {}
        if self.delivery == self.Delivery.PICKUP and not self.pickup_address.strip():
            errors["pickup_address"] = ValidationError(PICKUP_ADDRESS_REQUIRED, code="pickup")
        if self.declared_count is not None and self.declared_count < 1:
            errors["declared_count"] = ValidationError(DECLARED_COUNT_TOO_SMALL, code="count")
        if errors:
            raise ValidationError(errors)


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
