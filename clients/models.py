from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from devices.models import Device


class Client(models.Model):
    """A resident in digital coaching. Personal fields are few and anonymised on retention.

    `status` holds only what people decide (in coaching, served, closed); whether
    the client is eligible or waiting is computed from milestones and handovers
    (see clients.selectors), so it can never drift from the data.
    """

    class Status(models.TextChoices):
        COACHING = "coaching", _("valmennuksessa")
        SERVED = "served", _("laite luovutettu")
        CLOSED = "closed", _("päättynyt")

    class Service(models.TextChoices):
        EMPLOYMENT = "employment", _("työllisyyspalvelut")
        SOCIAL = "social", _("sosiaalipalvelut")
        OTHER = "other", _("muu palvelu")

    # Fields that hold personal data; the retention job blanks exactly these,
    # in this table and in its history table.
    PERSONAL_FIELDS = ("name", "phone", "accessibility_needs", "notes")

    code = models.CharField(_("asiakastunnus"), max_length=16, unique=True)
    name = models.CharField(_("nimi"), max_length=200)
    phone = models.CharField(_("puhelin"), max_length=40, blank=True)
    municipality = models.CharField(_("kunta"), max_length=100)
    language = models.CharField(
        _("asiointikieli"), max_length=2, choices=settings.LANGUAGES, default="fi"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("työvalmentaja"),
        on_delete=models.PROTECT,
        related_name="coached_clients",
    )
    service = models.CharField(_("palvelu"), max_length=12, choices=Service.choices)
    device_need = models.CharField(_("laitetarve"), max_length=10, choices=Device.Category.choices)
    accessibility_needs = models.TextField(_("saavutettavuustarpeet"), blank=True)
    notes = models.TextField(_("huomiot"), blank=True)
    consent_date = models.DateField(_("suostumus annettu"))
    status = models.CharField(
        _("tila"), max_length=10, choices=Status.choices, default=Status.COACHING
    )
    closed_on = models.DateField(_("päättynyt"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisoitu"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("luotu"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("asiakas")
        verbose_name_plural = _("asiakkaat")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["coaching", "served", "closed"]),
                name="client_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False) | ~Q(status="closed"),
                name="closed_client_has_date",
            ),
        ]
        indexes = [
            # The client list's order; also serves status filters (eligibility, waiting list).
            models.Index(fields=["status", "name", "code"], name="client_list_order"),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("clients:client_detail", kwargs={"code": self.code})


class Milestone(models.Model):
    """A step of the coaching programme; the catalogue is kept by coordinators."""

    code = models.SlugField(_("tunnus"), max_length=40, unique=True)
    name_fi = models.CharField(_("nimi suomeksi"), max_length=200)
    name_sv = models.CharField(_("nimi ruotsiksi"), max_length=200)
    name_en = models.CharField(_("nimi englanniksi"), max_length=200)
    description_fi = models.TextField(_("kuvaus suomeksi"), blank=True)
    description_sv = models.TextField(_("kuvaus ruotsiksi"), blank=True)
    description_en = models.TextField(_("kuvaus englanniksi"), blank=True)
    order = models.PositiveIntegerField(_("järjestys"), default=0)
    required = models.BooleanField(_("pakollinen"), default=True)
    active = models.BooleanField(_("käytössä"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("välitavoite")
        verbose_name_plural = _("välitavoitteet")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return getattr(self, f"name_{(get_language() or 'fi')[:2]}", None) or self.name_fi

    @property
    def description(self):
        lang = (get_language() or "fi")[:2]
        return getattr(self, f"description_{lang}", None) or self.description_fi


class ClientMilestone(models.Model):
    client = models.ForeignKey(
        Client, verbose_name=_("asiakas"), on_delete=models.CASCADE, related_name="milestones"
    )
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("välitavoite"), on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField(_("saavutettu"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kirjaaja"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("huomio"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("asiakkaan välitavoite")
        verbose_name_plural = _("asiakkaan välitavoitteet")
        ordering = ["milestone__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "milestone"], name="milestone_once_per_client"
            ),
        ]
        indexes = [
            # Per-client count of done steps and eligible_since (latest day) from the index alone.
            models.Index(
                fields=["client", "milestone", "completed_on"], name="milestone_client_done_on"
            ),
        ]

    def __str__(self):
        return f"{self.client} {self.milestone}"


class Handover(models.Model):
    """A device given to a client: reserved, then handed over as a gift or a loan."""

    class Kind(models.TextChoices):
        GIFT = "gift", _("lahja")
        LOAN = "loan", _("laina")

    class Status(models.TextChoices):
        RESERVED = "reserved", _("varattu")
        HANDED_OVER = "handed_over", _("luovutettu")
        RETURNED = "returned", _("palautettu")
        CANCELLED = "cancelled", _("peruttu")

    OPEN_STATUSES = (Status.RESERVED, Status.HANDED_OVER)

    device = models.ForeignKey(
        Device, verbose_name=_("laite"), on_delete=models.PROTECT, related_name="handovers"
    )
    client = models.ForeignKey(
        Client, verbose_name=_("asiakas"), on_delete=models.PROTECT, related_name="handovers"
    )
    kind = models.CharField(_("luovutustapa"), max_length=4, choices=Kind.choices, blank=True)
    status = models.CharField(
        _("tila"), max_length=12, choices=Status.choices, default=Status.RESERVED
    )
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("varaaja"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reserved_at = models.DateTimeField(_("varattu"))
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("luovuttaja"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    handed_over_at = models.DateTimeField(_("luovutettu"), null=True, blank=True)
    due_date = models.DateField(_("palautettava viimeistään"), null=True, blank=True)
    receipt_number = models.CharField(
        _("kuitin numero"), max_length=20, unique=True, null=True, blank=True
    )
    returned_on = models.DateField(_("palautettu"), null=True, blank=True)
    return_condition = models.CharField(
        _("kunto palautettaessa"), max_length=1, choices=Device.Grade.choices, blank=True
    )
    return_note = models.TextField(_("palautuksen huomiot"), blank=True)
    cancelled_at = models.DateTimeField(_("peruttu"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("luovutus")
        verbose_name_plural = _("luovutukset")
        ordering = ["-reserved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(status__in=["reserved", "handed_over"]),
                name="one_open_handover_per_device",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["reserved", "handed_over", "returned", "cancelled"]),
                name="handover_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="reserved")
                | Q(status="cancelled")
                | Q(handed_over_at__isnull=False, receipt_number__isnull=False),
                name="handed_over_has_receipt",
            ),
            models.CheckConstraint(
                condition=~Q(kind="loan") | Q(due_date__isnull=False),
                name="loan_has_due_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | Q(kind="loan", returned_on__isnull=False),
                name="only_loans_are_returned",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="handover_status_due"),
            # "Has this client an open handover?" for the waiting list and eligibility counts.
            models.Index(fields=["client", "status"], name="handover_client_status"),
        ]

    def __str__(self):
        return self.receipt_number or f"{self.device.inventory_code} → {self.client.code}"


class SupportPoint(models.Model):
    """A local digital-support point (digitukipiste), printed on receipts."""

    name = models.CharField(_("nimi"), max_length=200)
    municipality = models.CharField(_("kunta"), max_length=100)
    address = models.CharField(_("osoite"), max_length=200)
    opening_hours = models.CharField(_("aukioloajat"), max_length=200)
    contact = models.CharField(_("yhteystiedot"), max_length=200, blank=True)
    active = models.BooleanField(_("käytössä"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("digitukipiste")
        verbose_name_plural = _("digitukipisteet")
        ordering = ["municipality", "name"]

    def __str__(self):
        return f"{self.name} ({self.municipality})"


class AccessLog(models.Model):
    """Who read a client's personal data and when (append-only, kept for the register)."""

    class Action(models.TextChoices):
        VIEW = "view", _("asiakastietojen katselu")
        EDIT_FORM = "edit", _("muokkauslomake")
        RECEIPT = "receipt", _("luovutuskuitti")
        EXPORT = "export", _("tietojen vienti")
        LIST = "list", _("asiakaslista")

    client = models.ForeignKey(
        Client, verbose_name=_("asiakas"), on_delete=models.CASCADE, related_name="access_logs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("käyttäjä"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("toiminto"), max_length=10, choices=Action.choices)
    at = models.DateTimeField(_("aika"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("tietojen katselumerkintä")
        verbose_name_plural = _("tietojen katselumerkinnät")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.user} {self.client} {self.action}"
