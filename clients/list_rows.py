"""The rows of the client list and the waiting list, built once per page in Python.

A 50-row page spent most of its time in the template engine: a reverse() per row for
the link, the municipality partial, the coach's name, the state badge's inclusion tag, a
timesince, and a dozen variable lookups per row. As Django's admin does for its change
lists (admin.templatetags.admin_list.items_for_result), each row is built here with
format_html, which escapes every value; the page template keeps the table around them.
"""

from django.utils import dateformat, formats, timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from clients.models import Client
from clients.templatetags.client_state import client_state
from kierratys.listing import link_maker, rows_html, set_choice_labels

# As templates/clients/_municipality.html: a name from the list, or the typed text to check.
MUNICIPALITY_CELL = "<td>{}</td>"
MUNICIPALITY_TO_CHECK = '<td><span class="badge outcome-attention">{}</span></td>'
# Each list's row is <tr>, its own leading cells, these, then its own trailing cells.
CLIENT_CELLS = '<td><a href="{}">{}</a></td><td>{}</td>{}{}<td>{}</td>'
CLIENT_LIST_CELLS = (
    '<td class="progress-cell"><progress value="{}" max="{}" aria-label="{}">{}/{}</progress> '
    '<span class="num">{}/{}</span></td><td><span class="badge {}">{}</span></td></tr>'
)
WAITING_CELLS = (
    '<tr><td class="num">{}</td>' + CLIENT_CELLS + '<td>{}</td><td class="num">{}</td></tr>'
)


def _client_cells(clients, *, coordinator):
    """Each row's code link, name, municipality, coach (coordinators) and device need."""
    clients = set_choice_labels(clients, Client, ("device_need", "status"))
    client_url = link_maker("clients:client_detail", "code", marker="AS-0000-0000")
    coaches = {}
    cells = []
    for client in clients:
        if client.municipality_id:
            municipality = format_html(MUNICIPALITY_CELL, client.municipality)
        else:
            municipality = format_html(MUNICIPALITY_TO_CHECK, client.municipality_label)
        coach = ""
        if coordinator:
            if client.coach_id not in coaches:
                name = client.coach.get_full_name() or client.coach.username
                coaches[client.coach_id] = format_html("<td>{}</td>", name)
            coach = coaches[client.coach_id]
        cells.append(
            (client_url(client.code), client.code, client.name, municipality, coach,
             client.device_need_label)
        )  # fmt: skip
    return cells


def client_list_rows_html(clients, *, coordinator):
    """The client list's rows (selectors.client_list_rows: progress and open handover)."""
    clients = list(clients)
    today = timezone.localdate()
    progress_label = _("Pakolliset välitavoitteet")
    rows = []
    for client, cells in zip(clients, _client_cells(clients, coordinator=coordinator), strict=True):
        state = client_state(
            status=client.status,
            status_label=client.status_label,
            eligible=client.eligible,
            handover_status=client.open_handover_status,
            handover_kind=client.open_handover_kind,
            due=client.open_handover_due,
            today=today,
        )
        done, total = client.done_required, client.required_total
        rows.append(
            (*cells, done, total or 1, progress_label, done, total, done, total, state.css,
             state.text)
        )  # fmt: skip
    return rows_html("<tr>" + CLIENT_CELLS + CLIENT_LIST_CELLS, rows)


def waiting_rows_html(clients, *, start, coordinator):
    """The waiting list's rows, numbered from `start`, with the day and the time waited."""
    clients = list(clients)
    date_format = formats.get_format("DATE_FORMAT")
    shown, waited = {}, {}
    rows = []
    cells = _client_cells(clients, coordinator=coordinator)
    for number, (client, row) in enumerate(zip(clients, cells, strict=True), start=start):
        day = client.eligible_since
        if day not in shown:
            shown[day] = dateformat.format(day, date_format) if day else "–"
            waited[day] = timesince(day) if day else ""
        rows.append((number, *row, shown[day], waited[day]))
    return rows_html(WAITING_CELLS, rows)
