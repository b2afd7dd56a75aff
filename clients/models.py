from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.municipality_models import (  # Municipality: a model of this app
    Municipality,  # noqa: F401
    label_for_municipality,
    municipality_field,
    municipality_text_field,
)
from clients.readiness_models import HandoverReadiness  # noqa: F401 (a model of this app)
from clients.validators import validate_no_identity_code
from devices.models import Device

# Every field a person types text into refuses a personal identity code (the rule of
# clients.validators); fields filled by the application or from a list of choices do not
# need it. The services call full_clean(), so forms, the admin and direct service calls
# all meet it.
NO_IDENTITY_CODE = [validate_no_identity_code]

CONSENT_DATE_IN_FUTURE = _("Suostumuksen päivämäärä ei voi olla tulevaisuudessa.")
MILESTONE_DATE_IN_FUTURE = _("Välitavoitteen päivämäärä ei voi olla tulevaisuudessa.")


# The choices live at module level so that the constraints in Meta can be built from
# them (a nested Meta cannot see names of the model's own class body).
class ClientStatus(models.TextChoices):
    COACHING = "coaching", _("valmennuksessa")
    SERVED = "served", _("laite luovutettu")
    CLOSED = "closed", _("päättynyt")


class ClientService(models.TextChoices):
    EMPLOYMENT = "employment", _("työllisyyspalvelut")
    SOCIAL = "social", _("sosiaalipalvelut")
    OTHER = "other", _("muu palvelu")


class Client(models.Model):
    """A resident in digital coaching. Personal fields are few and anonymised on retention.

    `status` holds only what people decide (in coaching, served, closed); whether
    the client is eligible follows from the milestones and waiting from the handovers:
    both are stored (`eligible_since`, `has_open_handover`), kept by clients.eligibility.
    """

    Status = ClientStatus
    Service = ClientService

    # Fields that hold personal data; the retention job blanks exactly these,
    # in this table and in its history table.
    PERSONAL_FIELDS = ("name", "phone", "accessibility_needs", "notes")

    # code: made by client_create, never typed. name and phone are not free text, but
    # they are typed, and a pasted identity code lands in them as easily.
    code = models.CharField(_("asiakastunnus"), max_length=16, unique=True)
    name = models.CharField(_("nimi"), max_length=200, validators=NO_IDENTITY_CODE)
    phone = models.CharField(_("puhelin"), max_length=40, blank=True, validators=NO_IDENTITY_CODE)
    municipality = municipality_field(related_name="clients")
    municipality_text = municipality_text_field()
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
    accessibility_needs = models.TextField(
        _("saavutettavuustarpeet"), blank=True, validators=NO_IDENTITY_CODE
    )
    notes = models.TextField(_("huomiot"), blank=True, validators=NO_IDENTITY_CODE)
    consent_date = models.DateField(_("suostumus annettu"))
    status = models.CharField(
        _("tila"), max_length=10, choices=Status.choices, default=Status.COACHING
    )
    closed_on = models.DateField(_("päättynyt"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisoitu"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("luotu"), auto_now_add=True)
    # The day the last active required milestone was done, None while one is missing: kept by
    # clients.eligibility in the same transaction as every milestone and catalogue change, and
    # checked against clients.selectors.live_eligible_since() by `manage.py check_figures`.
    # Derived, so not in the history (it would add a history row per client per catalogue edit).
    eligible_since = models.DateField(
        _("oikeutettu laitteeseen alkaen"), null=True, blank=True, editable=False
    )
    # A device reserved for or handed over to the client (an open handover), kept by the
    # handover services the same way: the waiting list reads both from one index.
    has_open_handover = models.BooleanField(
        _("laite varattu tai luovutettu"), default=False, editable=False
    )
    history = HistoricalRecords(excluded_fields=["eligible_since", "has_open_handover"])

    class Meta:
        verbose_name = _("asiakas")
        verbose_name_plural = _("asiakkaat")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ClientStatus.values),
                name="client_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(service__in=ClientService.values),
                name="client_service_valid",
            ),
            models.CheckConstraint(
                condition=Q(device_need__in=Device.Category.values),
                name="client_device_need_valid",
            ),
            # A closing date exactly when closed: a closed client that somehow got a
            # device (and became "served" with its old date) escaped retention once.
            models.CheckConstraint(
                condition=Q(status=ClientStatus.CLOSED, closed_on__isnull=False)
                | (~Q(status=ClientStatus.CLOSED) & Q(closed_on__isnull=True)),
                name="closed_on_iff_closed",
            ),
        ]
        indexes = [
            # The client list's order; also serves status filters (eligibility, waiting list).
            models.Index(fields=["status", "name", "code"], name="client_list_order"),
            # The waiting list's order and the eligible filter's count, from the index alone.
            # (Not a partial index: SQLite uses one only when the query spells the status as
            # a literal, and Django sends it as a parameter.)
            models.Index(
                fields=["status", "has_open_handover", "eligible_since", "code"],
                name="client_waiting_order",
            ),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("clients:client_detail", kwargs={"code": self.code})

    @property
    def municipality_label(self):
        return label_for_municipality(self.municipality, self.municipality_text)

    def clean(self):
        # A municipality chosen from the list replaces the text typed before the list.
        if self.municipality_id is not None:
            self.municipality_text = ""
        # Consent is recorded once given: a date still to come is a typing error.
        if self.consent_date is not None and self.consent_date > timezone.localdate():
            raise ValidationError(
                {"consent_date": ValidationError(CONSENT_DATE_IN_FUTURE, code="future")}
            )


class Milestone(models.Model):
    """A step of the coaching programme; the catalogue is kept by coordinators."""

    # All typed by a coordinator; a slug such as 131052-308t is a valid slug, so the code too.
    code = models.SlugField(_("tunnus"), max_length=40, unique=True, validators=NO_IDENTITY_CODE)
    name_fi = models.CharField(_("nimi suomeksi"), max_length=200, validators=NO_IDENTITY_CODE)
    name_sv = models.CharField(_("nimi ruotsiksi"), max_length=200, validators=NO_IDENTITY_CODE)
    name_en = models.CharField(_("nimi englanniksi"), max_length=200, validators=NO_IDENTITY_CODE)
    description_fi = models.TextField(_("kuvaus suomeksi"), blank=True, validators=NO_IDENTITY_CODE)
    description_sv = models.TextField(
        _("kuvaus ruotsiksi"), blank=True, validators=NO_IDENTITY_CODE
    )
    description_en = models.TextField(
        _("kuvaus englanniksi"), blank=True, validators=NO_IDENTITY_CODE
    )
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
    note = models.TextField(_("huomio"), blank=True, validators=NO_IDENTITY_CODE)
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

    def clean(self):
        # A milestone is recorded once reached; a future date would make a client eligible early.
        if self.completed_on is not None and self.completed_on > timezone.localdate():
            raise ValidationError(
                {"completed_on": ValidationError(MILESTONE_DATE_IN_FUTURE, code="future")}
            )


class HandoverKind(models.TextChoices):
    GIFT = "gift", _("lahja")
    LOAN = "loan", _("laina")


class HandoverStatus(models.TextChoices):
    RESERVED = "reserved", _("varattu")
    HANDED_OVER = "handed_over", _("luovutettu")
    RETURNED = "returned", _("palautettu")
    CANCELLED = "cancelled", _("peruttu")


HANDOVER_OPEN_STATUSES = (HandoverStatus.RESERVED, HandoverStatus.HANDED_OVER)


class Handover(models.Model):
    """A device given to a client: reserved, then handed over as a gift or a loan."""

    Kind = HandoverKind
    Status = HandoverStatus

    OPEN_STATUSES = HANDOVER_OPEN_STATUSES

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
    # A handover may be recorded up to 30 days afterwards (clients.handover_rules):
    # handed_over_at is then that day, recorded_at when it was typed in, with the reason.
    recorded_at = models.DateTimeField(_("kirjattu"), null=True, blank=True)
    backdating_reason = models.CharField(
        _("syy jälkikäteen kirjaamiseen"), max_length=200, blank=True, validators=NO_IDENTITY_CODE
    )
    # Printed on the receipt; kept with the handover so a reprint shows what was printed.
    coach_phone = models.CharField(
        _("työvalmentajan puhelin"), max_length=40, blank=True, validators=NO_IDENTITY_CODE
    )
    due_date = models.DateField(_("palautettava viimeistään"), null=True, blank=True)
    # receipt_number: made by handover_complete, never typed.
    receipt_number = models.CharField(
        _("kuitin numero"), max_length=20, unique=True, null=True, blank=True
    )
    returned_on = models.DateField(_("palautettu"), null=True, blank=True)
    return_condition = models.CharField(
        _("kunto palautettaessa"), max_length=1, choices=Device.Grade.choices, blank=True
    )
    return_note = models.TextField(
        _("palautuksen huomiot"), blank=True, validators=NO_IDENTITY_CODE
    )
    cancelled_at = models.DateTimeField(_("peruttu"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("luovutus")
        verbose_name_plural = _("luovutukset")
        ordering = ["-reserved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(status__in=HANDOVER_OPEN_STATUSES),
                name="one_open_handover_per_device",
            ),
            models.CheckConstraint(
                condition=Q(status__in=HandoverStatus.values),
                name="handover_status_valid",
            ),
            # The kind is chosen at the handover; a reservation has none yet.
            models.CheckConstraint(
                condition=Q(kind="") | Q(kind__in=HandoverKind.values),
                name="handover_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(return_condition="") | Q(return_condition__in=Device.Grade.values),
                name="handover_return_condition_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=HandoverStatus.RESERVED)
                | Q(status=HandoverStatus.CANCELLED)
                | Q(handed_over_at__isnull=False, receipt_number__isnull=False),
                name="handed_over_has_receipt",
            ),
            models.CheckConstraint(
                condition=~Q(kind=HandoverKind.LOAN) | Q(due_date__isnull=False),
                name="loan_has_due_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=HandoverStatus.RETURNED)
                | Q(kind=HandoverKind.LOAN, returned_on__isnull=False),
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

    @property
    def backdated(self):
        """Recorded on a later day than the handover took place."""
        if self.recorded_at is None or self.handed_over_at is None:
            return False
        return timezone.localdate(self.recorded_at) != timezone.localdate(self.handed_over_at)


class SupportPoint(models.Model):
    """A local digital-support point (digitukipiste), printed on receipts."""

    # All typed by a coordinator and printed on every receipt; contact may name a person.
    name = models.CharField(_("nimi"), max_length=200, validators=NO_IDENTITY_CODE)
    municipality = municipality_field(related_name="support_points")
    municipality_text = municipality_text_field()
    address = models.CharField(_("osoite"), max_length=200, validators=NO_IDENTITY_CODE)
    opening_hours = models.CharField(_("aukioloajat"), max_length=200, validators=NO_IDENTITY_CODE)
    contact = models.CharField(
        _("yhteystiedot"), max_length=200, blank=True, validators=NO_IDENTITY_CODE
    )
    active = models.BooleanField(_("käytössä"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("digitukipiste")
        verbose_name_plural = _("digitukipisteet")
        ordering = ["municipality__name_fi", "name"]

    def __str__(self):
        return f"{self.name} ({self.municipality_label})"

    @property
    def municipality_label(self):
        return label_for_municipality(self.municipality, self.municipality_text)

    def clean(self):
        if self.municipality_id is not None:
            self.municipality_text = ""


class AccessLog(models.Model):
    """Who read a client's personal data and when (append-only, kept for the register)."""

    class Action(models.TextChoices):
        VIEW = "view", _("asiakastietojen katselu")
        EDIT_FORM = "edit", _("muokkauslomake")
        RECEIPT = "receipt", _("luovutuskuitti")
        REMINDER_LETTER = "reminder", _("lainan muistutuskirje")
        RETURN_RECEIPT = "return", _("palautuskuitti")
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
        at = date_format(timezone.localtime(self.at), "SHORT_DATETIME_FORMAT")
        return f"{at} {self.user} {self.client} {self.action}"
