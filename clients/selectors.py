"""Read queries shared by views: eligibility, progress and the waiting list.

Eligibility (every active required milestone done) is stored as Client.eligible_since,
kept by clients.eligibility in the same transaction as each milestone and catalogue
change, so the waiting list and the eligible filters read one indexed column instead of
working out every coaching client's milestones on each request. live_eligible_since()
is the rule itself, worked out from the milestones: the maintenance writes it and
clients.eligibility_check compares the stored column with it.

Every other figure is a correlated subquery of the client row, never a join with
GROUP BY over every client: a list filters and counts its clients cheaply and
works out the figures only for the rows it shows. Eligible means "done as many
active required milestones as there are" (a client does each milestone once:
unique (client, milestone)); measured on 20,000 clients this per-client count
is cheaper than a NOT EXISTS "some required milestone missing" on both SQLite
and PostgreSQL.

Handovers: the devices that suit a client, open and overdue loans, the
support points printed on a receipt."""

import re

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from clients.models import (
    Client,
    ClientMilestone,
    Handover,
    Milestone,
    Municipality,
    SupportPoint,
)
from clients.municipalities import collation_key
from devices.models import Device
from kierratys import figures
from kierratys.compiled_queries import CompiledQuery
from kierratys.roles import is_coordinator


def required_milestones():
    return Milestone.objects.filter(active=True, required=True).order_by("order", "code")


def _sql_count(field="pk"):
    # COUNT without GROUP BY: one row, 0 when nothing matches (Count() would group the subquery).
    return Func(F(field), function="COUNT", output_field=IntegerField())


def _required_done():
    """The outer client's records of active required milestones."""
    return ClientMilestone.objects.order_by().filter(
        client=OuterRef("pk"), milestone__required=True, milestone__active=True
    )


def _open_handover():
    return Exists(
        Handover.objects.order_by().filter(client=OuterRef("pk"), status__in=Handover.OPEN_STATUSES)
    )


def _done_required():
    return Subquery(_required_done().annotate(n=_sql_count()).values("n"))


def _required_total():
    """The number of active required milestones (evaluated once per query)."""
    return Subquery(
        Milestone.objects.order_by()
        .filter(active=True, required=True)
        .annotate(n=_sql_count())
        .values("n")
    )


def _all_required_done(required_total=None):
    return GreaterThanOrEqual(
        _done_required(), required_total if required_total is not None else _required_total()
    )


def _last_required_done():
    """The day the outer client did its last active required milestone (latest completed_on)."""
    latest = Func(F("completed_on"), function="MAX", output_field=DateField())
    return Subquery(_required_done().annotate(latest=latest).values("latest"))


def live_eligible_since():
    """The rule Client.eligible_since stores, worked out from the milestones (any status).

    Every active required milestone done: the day the last of them was done (with no
    required milestone in the catalogue, the consent date); else None."""
    return Case(
        When(
            _all_required_done(),
            then=Coalesce(_last_required_done(), F("consent_date"), output_field=DateField()),
        ),
        default=Value(None),
        output_field=DateField(),
    )


def live_has_open_handover():
    """The rule Client.has_open_handover stores: a reservation or a device handed over."""
    return _open_handover()


def eligible_condition():
    """Filter for clients in coaching who have done every active required milestone."""
    return Q(status=Client.Status.COACHING, eligible_since__isnull=False)


def with_progress(queryset, required_count=None):
    """Annotate done_required, required_total and eligible (page rows)."""
    if required_count is None:
        required_total = _required_total()
    else:
        required_total = Value(required_count, output_field=IntegerField())
    return queryset.annotate(
        done_required=_done_required(),
        required_total=required_total,
        eligible=Case(
            When(eligible_condition(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


CLIENT_LIST_ORDER = ("status", "name", "code")  # the client_list_order index


def _open_handover_value(field):
    return Subquery(
        Handover.objects.filter(client=OuterRef("pk"), status__in=Handover.OPEN_STATUSES)
        .order_by("-reserved_at")
        .values(field)[:1]
    )


def with_open_handover(queryset):
    """Annotate the open handover's status, kind and due date (None without one)."""
    return queryset.annotate(
        open_handover_status=_open_handover_value("status"),
        open_handover_kind=_open_handover_value("kind"),
        open_handover_due=_open_handover_value("due_date"),
    )


# What a row of the client list or the waiting list shows (clients.list_rows): building
# every field of 150 objects per page cost more than the query itself.
CLIENT_ROW_COLUMNS = (
    *("code", "name", "municipality", "municipality_text", "device_need", "status"),
    *("eligible_since", "coach__first_name", "coach__last_name", "coach__username"),
)


def _client_rows(keys):
    return (
        Client.objects.select_related("coach", "municipality")
        .only(*CLIENT_ROW_COLUMNS)
        .filter(pk__in=keys)
    )


def client_list_rows(keys):
    """The clients whose keys are given (a page of the client list), with coach and figures.

    `keys` (the page's `values("pk")`) is read first, then the rows in a query compiled once
    for CLIENT_LIST_PAGE keys: compiling this one (five subqueries, two joins) took longer
    than the database took to run it. A shorter page is filled up with a key no row has."""
    pks = [row["pk"] for row in keys]
    if len(pks) > CLIENT_LIST_PAGE:
        return list(_client_list_rows(pks))
    return _CLIENT_LIST_ROWS(*pks, *[NO_CLIENT] * (CLIENT_LIST_PAGE - len(pks))) if pks else []


def _client_list_rows(pks):
    return with_open_handover(with_progress(_client_rows(pks))).order_by(*CLIENT_LIST_ORDER)


CLIENT_LIST_PAGE = 50  # rows a page of the client list
NO_CLIENT = 0  # no row has key 0: keys start at 1 on SQLite and PostgreSQL
_CLIENT_LIST_ROWS = CompiledQuery(lambda *pks: _client_list_rows(pks), *[int] * CLIENT_LIST_PAGE)


def eligible_clients(queryset=None):
    """Clients in coaching who have done every active required milestone."""
    queryset = queryset if queryset is not None else Client.objects.all()
    return with_progress(queryset.filter(eligible_condition()))


WAITING_ORDER = ("eligible_since", "code")  # the client_waiting_order index


def _waiting(queryset):
    queryset = queryset if queryset is not None else Client.objects.all()
    # A range of the client_waiting_order index, in its order. (`has_open_handover=False`
    # would be written NOT has_open_handover, which no index serves: IN (false) is.)
    return queryset.filter(eligible_condition(), has_open_handover__in=[False])


def waiting_list(queryset=None):
    """Eligible clients without an open handover, longest-waiting first."""
    return with_progress(_waiting(queryset)).order_by(*WAITING_ORDER)


def waiting_queue(queryset=None):
    """The waiting list without figures: cheap to count and page through."""
    return _waiting(queryset).order_by(*WAITING_ORDER)


def waiting_list_rows(keys):
    """The clients whose keys are given (a page of the waiting list), with coach, in its order."""
    return _client_rows(keys).order_by(*WAITING_ORDER)


def clients_losing_eligibility(*, required, active, milestone=None):
    """Eligible clients in coaching who would not be if this catalogue step were saved so.

    A step that becomes required and active (new, or stored as optional or inactive) is one
    more step every client must reach: those who are eligible now and have not reached it
    lose eligibility (and leave the waiting list). milestone: the stored step, None when new."""
    if not (required and active):
        return Client.objects.none()
    if milestone is not None:
        stored = Milestone.objects.filter(pk=milestone.pk).values("required", "active").first()
        if stored and stored["required"] and stored["active"]:
            return Client.objects.none()
    clients = Client.objects.filter(eligible_condition())
    if milestone is not None:
        clients = clients.exclude(milestones__milestone=milestone.pk)
    return clients


def missing_required_milestones(client):
    """The active required milestones the client has not done, in catalogue order."""
    return required_milestones().exclude(pk__in=client.milestones.values("milestone"))


def is_eligible(client):
    """Read from the database: a service may just have changed the stored eligibility."""
    return Client.objects.filter(pk=client.pk).filter(eligible_condition()).exists()


def clients_visible_to(user):
    """A coach sees his or her own clients; coordinators see all."""
    if is_coordinator(user):
        return Client.objects.all()
    return Client.objects.filter(coach=user)


# The stored figure each client adds one to, by its stage now: reports.figures_source.STAGE
# (every client counts once at the total grain; tests/clients assert it is the same).
STAGE_FIGURE = "stage"


def client_count_stored():
    """How many clients there are, from the counters kierratys.figures keeps in the same
    transaction as every client change: COUNT(*) reads every row, more as the programme grows."""
    return figures.stored_total(STAGE_FIGURE)


def client_list_count(user, *, filtered):
    """How many clients the list shows, when the stored figures know it (a coordinator's list
    of every client); None when only counting the rows can tell."""
    return client_count_stored() if is_coordinator(user) and not filtered else None


# The free-text accessibility needs ask for a large screen when they mention a big
# screen or weak sight (fi/sv/en); inflected forms ("ison näytön") match too.
LARGE_SCREEN_NEED = re.compile(
    r"\b(iso|ison|isom|suur)\w*\s+näyt|näkö|isot kirjaimet|"
    r"\b(stor|större)\w*\s+skärm|syn(svag|nedsätt)|nedsatt syn|"
    r"\b(large|larger|big|bigger)\s+screen|low vision|visual",
    re.IGNORECASE,
)


# What counts as a large screen in each category, in inches.
LARGE_SCREEN_INCHES = {
    Device.Category.LAPTOP: 15,
    Device.Category.TABLET: 10,
    Device.Category.PHONE: 6.5,
    Device.Category.DESKTOP: 22,
    Device.Category.OTHER: 15,
}


def needs_large_screen(client):
    """True when the client's accessibility needs mention a large screen or weak sight."""
    return bool(LARGE_SCREEN_NEED.search(client.accessibility_needs or ""))


def matching_devices(client):
    """Ready devices for the client: needed category first, then grade (A best), oldest intake.

    Each device carries `fits_need` (its category is the client's device need)
    and `large_screen`. When the client's accessibility needs ask for a large
    screen (see LARGE_SCREEN_NEED), large screens rank first within the category.
    """
    large_screen = Q()
    for category, inches in LARGE_SCREEN_INCHES.items():
        large_screen |= Q(category=category, screen_inches__gte=inches)
    devices = Device.objects.filter(status=Device.Status.READY).annotate(
        fits_need=Case(
            When(category=client.device_need, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        large_screen=Case(
            When(large_screen, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
    )
    order = ["-fits_need"]
    if needs_large_screen(client):
        order.append("-large_screen")
    order += ["condition_grade", "logged_at", "pk"]
    return devices.order_by(*order)


def open_handover(client):
    """The client's reservation or handed-over device still out, or None."""
    return (
        Handover.objects.filter(client=client, status__in=Handover.OPEN_STATUSES)
        .select_related("device", "reserved_by", "handed_over_by")
        .first()
    )


def overdue_loans(user, *, today=None):
    """Loans past their due date for the clients the user may see, most overdue first."""
    today = today or timezone.localdate()
    return (
        Handover.objects.filter(
            status=Handover.Status.HANDED_OVER,
            kind=Handover.Kind.LOAN,
            due_date__lt=today,
            client__in=clients_visible_to(user),
        )
        .select_related("device", "client", "client__coach")
        .order_by("due_date", "receipt_number")
    )


def handovers_visible_to(user):
    """Handovers of the clients the user may see (coach: own clients, coordinator: all)."""
    return Handover.objects.filter(client__in=clients_visible_to(user))


def support_points_for(municipality):
    """The active support points of a municipality (none for a record still without one)."""
    if municipality is None:
        return SupportPoint.objects.none()
    return SupportPoint.objects.filter(active=True, municipality=municipality).order_by("name")


def municipalities_by_name(queryset=None):
    """Municipalities in alphabetical order of their names in the active language."""
    queryset = Municipality.objects.all() if queryset is None else queryset
    return sorted(queryset, key=lambda municipality: collation_key(municipality.name))


def is_overdue(handover, today=None):
    today = today or timezone.localdate()
    return (
        handover.status == Handover.Status.HANDED_OVER
        and handover.kind == Handover.Kind.LOAN
        and handover.due_date is not None
        and handover.due_date < today
    )
