"""Client register pages: clients, milestones, waiting list, access log, milestone catalogue.

A coach reaches only his or her own clients (another client's URL is a 404);
coordinators reach all; technicians and donors get 403 on every page here.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.http import require_POST

from clients import selectors, services
from clients.access_log import access_log_record
from clients.forms import ClientForm, MilestoneForm, MilestoneRecordsForm
from clients.list_rows import client_list_rows_html, waiting_rows_html
from clients.milestone_records import MilestoneRefused, client_milestones_record
from clients.models import AccessLog, Client, ClientMilestone, Milestone
from clients.timelines import client_timeline
from kierratys.forms import show_refusal
from kierratys.listing import KeyFirstPaginator
from kierratys.roles import COACH, COORDINATOR, is_coordinator, role_required

PAGE_SIZE = 50

CLIENT_CREATED = _("Asiakas %(code)s on lisätty.")
CLIENT_SAVED = _("Asiakkaan %(code)s tiedot on tallennettu.")
MILESTONE_RECORDED = _("Välitavoite ”%(milestone)s” on kirjattu.")
MILESTONES_RECORDED = _("Välitavoitteet on kirjattu: %(milestones)s.")
MILESTONE_REMOVED = _("Välitavoite ”%(milestone)s” on poistettu asiakkaalta.")
CLIENT_BECAME_ELIGIBLE = _(
    "Kaikki pakolliset välitavoitteet on saavutettu: asiakas voi nyt saada laitteen."
)
CATALOGUE_MILESTONE_SAVED = _("Välitavoite ”%(milestone)s” on tallennettu.")
CATALOGUE_CHANGE_AFFECTS = ngettext_lazy(
    "Muutos koskee %(count)d asiakasta, joka on nyt oikeutettu laitteeseen: hän ei ole enää "
    "oikeutettu eikä jonossa ennen kuin on saavuttanut tämän välitavoitteen.",
    "Muutos koskee %(count)d asiakasta, jotka ovat nyt oikeutettuja laitteeseen: he eivät ole "
    "enää oikeutettuja eivätkä jonossa ennen kuin ovat saavuttaneet tämän välitavoitteen.",
    "count",
)
MILESTONE_SECTION = "valitavoitteet"  # the id of the client page's milestone section


def _visible_client(request, code):
    return get_object_or_404(selectors.clients_visible_to(request.user), code=code)


def _paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@role_required(COACH)
def client_list(request):
    """The clients the user may see, with progress and eligibility, without a query per row."""
    clients = selectors.clients_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        clients = clients.filter(
            Q(name__icontains=query)
            | Q(code__icontains=query)
            | Q(municipality__name_fi__icontains=query)
            | Q(municipality__name_sv__icontains=query)
            | Q(municipality_text__icontains=query)
        )
    status = request.GET.get("status", "")
    if status in Client.Status.values:
        clients = clients.filter(status=status)
    eligible_only = bool(request.GET.get("eligible"))
    if eligible_only:
        clients = clients.filter(selectors.eligible_condition())
    filtered = bool(query) or status in Client.Status.values or eligible_only
    # Counting and skipping need no progress figures: they are worked out for the
    # page's rows only: its keys, then its rows in one query (selectors.client_list_rows).
    paginator = KeyFirstPaginator(
        clients.order_by(*selectors.CLIENT_LIST_ORDER),
        selectors.CLIENT_LIST_PAGE,
        read_rows=selectors.client_list_rows,
        count=selectors.client_list_count(request.user, filtered=filtered),
    )
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    rows = client_list_rows_html(page.object_list, coordinator=is_coordinator(request.user))
    return render(
        request,
        "clients/client_list.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "status": status,
            "statuses": Client.Status.choices,
            "eligible_only": eligible_only,
        },
    )


def _render_detail(request, client, record_form=None, status=200):
    access_log_record(client=client, user=request.user, action=AccessLog.Action.VIEW)
    done = {
        record.milestone_id: record
        for record in client.milestones.select_related("milestone", "recorded_by")
    }
    catalogue = [
        (milestone, done.get(milestone.pk))
        for milestone in Milestone.objects.filter(Q(active=True) | Q(pk__in=done.keys()))
    ]
    missing = list(selectors.missing_required_milestones(client))
    if record_form is None and client.status == Client.Status.COACHING:
        record_form = MilestoneRecordsForm(client=client)
    required_total = selectors.required_milestones().count()
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "catalogue": catalogue,
            "missing": missing,
            "required_total": required_total,
            "required_done": required_total - len(missing),
            "eligible": client.status == Client.Status.COACHING and not missing,
            "record_form": record_form,
            "client_timeline": client_timeline(client),
        },
        status=status,
    )


@role_required(COACH)
def client_detail(request, code):
    """The client's record and coaching progress; opening it is written to the access log."""
    return _render_detail(request, _visible_client(request, code))


@role_required(COACH)
def client_create(request):
    form = ClientForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        coach = fields.pop("coach", request.user)
        try:
            client = services.client_create(actor=request.user, coach=coach, **fields)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, CLIENT_CREATED % {"code": client.code})
            return redirect(client)
    return render(request, "clients/client_form.html", {"form": form, "client": None})


@role_required(COACH)
def client_edit(request, code):
    """Edit the record; the form shows personal data, so opening it is logged too."""
    client = _visible_client(request, code)
    form = ClientForm(request.POST or None, instance=client, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.client_update(client=client, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                show_refusal(form, error)
            else:
                messages.success(request, CLIENT_SAVED % {"code": client.code})
                return redirect(client)
    else:
        access_log_record(client=client, user=request.user, action=AccessLog.Action.EDIT_FORM)
    # Re-read: a failed ModelForm validation has already written the typed values onto it.
    client.refresh_from_db()
    return render(request, "clients/client_form.html", {"form": form, "client": client})


def _milestone_section(client):
    return f"{client.get_absolute_url()}#{MILESTONE_SECTION}"


@require_POST
@role_required(COACH)
def milestone_record(request, code):
    """Record the ticked milestones, each with its day, all or none; back to the section."""
    client = _visible_client(request, code)
    form = MilestoneRecordsForm(request.POST, client=client)
    if form.is_valid():
        try:
            records = client_milestones_record(
                client=client, records=form.records(), actor=request.user
            )
        except MilestoneRefused as refusal:
            field = refusal.field and form.field_name(refusal.milestone, refusal.field)
            form.add_error(field, refusal.messages)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            names = ", ".join(f"”{record.milestone.name}”" for record in records)
            if len(records) == 1:
                done = MILESTONE_RECORDED % {"milestone": records[0].milestone.name}
            else:
                done = MILESTONES_RECORDED % {"milestones": names}
            messages.success(request, done)
            if selectors.is_eligible(client):
                messages.info(request, CLIENT_BECAME_ELIGIBLE)
            return redirect(_milestone_section(client))
    return _render_detail(request, client, record_form=form, status=400)


@require_POST
@role_required(COACH)
def milestone_remove(request, code, pk):
    client = _visible_client(request, code)
    record = get_object_or_404(
        ClientMilestone.objects.select_related("milestone"), client=client, pk=pk
    )
    services.client_milestone_remove(record=record, actor=request.user)
    messages.success(request, MILESTONE_REMOVED % {"milestone": record.milestone.name})
    return redirect(_milestone_section(client))


@role_required(COACH)
def waiting_list(request):
    """Eligible clients without a device, longest-waiting first; a coach sees his or her own.

    The count and the page's keys walk the client_waiting_order index (stored
    eligibility); a third query reads the page's rows.
    """
    paginator = KeyFirstPaginator(
        selectors.waiting_queue(selectors.clients_visible_to(request.user)),
        PAGE_SIZE,
        read_rows=selectors.waiting_list_rows,
    )
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    rows = waiting_rows_html(
        page.object_list, start=page.start_index(), coordinator=is_coordinator(request.user)
    )
    return render(request, "clients/waiting_list.html", {"page": page, "rows": rows})


@role_required(COORDINATOR)
def access_log(request, code):
    """Who has read this client's personal data, newest first (coordinators only)."""
    client = get_object_or_404(Client, code=code)
    entries = client.access_logs.select_related("user").order_by("-at", "-pk")
    return render(
        request,
        "clients/accesslog_list.html",
        {"client": client, "page": _paginate(request, entries)},
    )


@role_required(COORDINATOR)
def milestone_list(request):
    return render(
        request,
        "clients/milestone_list.html",
        {
            "milestones": Milestone.objects.all(),
            "required_total": selectors.required_milestones().count(),
        },
    )


def _catalogue_form(request, form, milestone):
    """Save the catalogue step, or ask first when it takes eligibility away from clients.

    The coordinator confirms with the count shown (confirm=<count>): if more clients have
    become eligible in between, the question is asked again with the new count."""
    if request.method == "POST" and form.is_valid():
        affected = selectors.clients_losing_eligibility(
            required=form.cleaned_data["required"],
            active=form.cleaned_data["active"],
            milestone=milestone,
        ).count()
        if not affected or request.POST.get("confirm") == str(affected):
            if milestone is None:
                saved = services.milestone_create(actor=request.user, **form.cleaned_data)
            else:
                saved = services.milestone_update(
                    milestone=milestone, actor=request.user, **form.cleaned_data
                )
            messages.success(request, CATALOGUE_MILESTONE_SAVED % {"milestone": saved.name})
            return redirect("clients:milestone_list")
        confirmation = CATALOGUE_CHANGE_AFFECTS % {"count": affected}
    else:
        affected, confirmation = None, None
    if milestone is not None:
        milestone.refresh_from_db()  # a validated ModelForm has written the typed values on it
    return render(
        request,
        "clients/milestone_form.html",
        {
            "form": form,
            "milestone": milestone,
            "affected": affected,
            "confirmation": confirmation,
        },
    )


@role_required(COORDINATOR)
def milestone_create(request):
    return _catalogue_form(request, MilestoneForm(request.POST or None), None)


@role_required(COORDINATOR)
def milestone_edit(request, pk):
    milestone = get_object_or_404(Milestone, pk=pk)
    form = MilestoneForm(request.POST or None, instance=milestone)
    return _catalogue_form(request, form, milestone)
