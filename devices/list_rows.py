"""The device list's rows, and the device page's erasure and check rows, built in Python.

A 50-row page spent most of its time in the template engine (a dozen variable lookups, a
role test and a date filter per row). As Django's admin does for its change lists
(admin.templatetags.admin_list.items_for_result), each row is built here with
format_html, which escapes every value; templates/devices/device_list.html keeps the
table around them.
"""

from django.utils import dateformat, formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext

from devices.models import Device, Erasure
from kierratys.listing import choice_labels, link_maker, rows_html
from kierratys.timeline import person_name

SELECT_CELL = '<td><input type="checkbox" name="code" value="{}" aria-label="{}"></td>'
BATCH_LINK = '<a href="{}">{}</a>'
DEVICE_CELLS = (
    '<tr>{}<td><a href="{}">{}</a></td><td>{}</td><td>{} {}</td><td>{}</td><td class="ref">{}</td>'
    '<td>{}</td><td><span class="badge {}">{}</span></td><td>{}</td></tr>'
)


def device_rows_html(devices, *, technician):
    """The rows of a page of selectors.device_list_rows (tuples of DEVICE_LIST_COLUMNS);
    technicians get the label checkbox and the batch link."""
    categories = choice_labels(Device, "category")
    statuses = choice_labels(Device, "status")
    device_url = link_maker("devices:device_detail", "code")
    batch_url = link_maker("devices:batch_detail", "reference")
    short_date = formats.get_format("SHORT_DATE_FORMAT")
    batch_cells = {}
    rows = []
    for code, category, manufacturer, model, serial, status, logged_at, reference, donor in devices:
        if reference not in batch_cells:
            link = format_html(BATCH_LINK, batch_url(reference), reference)
            batch_cells[reference] = link if technician else reference
        rows.append(
            (
                format_html(SELECT_CELL, code, code) if technician else "",
                device_url(code),
                code,
                categories.get(category, category),
                manufacturer,
                model,
                serial or "–",
                batch_cells[reference],
                donor,
                status,
                statuses.get(status, status),
                dateformat.format(timezone.localtime(logged_at), short_date),
            )
        )
    return rows_html(DEVICE_CELLS, rows)


ERASURE_CELLS = (
    "<tr>\n<td>{}</td><td>{}</td><td>{}</td><td>{}</td>\n<td>{} {}</td><td>{}</td>\n"
    '<td><span class="badge {}">{}</span>{}</td>\n<td>{}</td>\n<td>{}</td>\n</tr>'
)
FAILURE_NOTE = "<br>{}"
VALIDATED = '{} <span class="muted">{}</span>'
CHECK_CELLS = "<tr>\n<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n<td>{}</td>\n</tr>"
CHECK_COMPLETE = '<span class="badge ready">{}</span>'
CHECK_INCOMPLETE = '<span class="badge failed">{}</span>'


def erasure_rows_html(erasures):
    """The device page's erasure attempts (with technician, medium and validated_by read)."""
    labels = {
        name: choice_labels(Erasure, name)
        for name in ("method", "technique", "verification", "result")
    }
    rows = []
    for erasure in erasures:
        validated = (
            format_html(
                VALIDATED,
                person_name(erasure.validated_by),
                formats.date_format(timezone.localtime(erasure.validated_at), "SHORT_DATE_FORMAT"),
            )
            if erasure.validated_by
            else "–"
        )
        rows.append(
            (
                formats.date_format(timezone.localtime(erasure.ended_at), "SHORT_DATETIME_FORMAT"),
                str(erasure.medium),
                labels["method"].get(erasure.method, erasure.method),
                labels["technique"].get(erasure.technique, erasure.technique),
                erasure.tool_name,
                erasure.tool_version,
                labels["verification"].get(erasure.verification, erasure.verification),
                erasure.result,
                labels["result"].get(erasure.result, erasure.result),
                format_html(FAILURE_NOTE, erasure.failure_reason) if erasure.failure_reason else "",
                person_name(erasure.technician),
                validated,
            )
        )
    return rows_html(ERASURE_CELLS, rows)


def check_rows_html(checks):
    """The device page's refurbishment checks (with checked_by read)."""
    complete = format_html(CHECK_COMPLETE, gettext("kaikki kunnossa"))
    incomplete = format_html(CHECK_INCOMPLETE, gettext("puutteita"))
    rows = (
        (
            formats.date_format(timezone.localtime(check.checked_at), "SHORT_DATETIME_FORMAT"),
            complete if check.is_complete else incomplete,
            person_name(check.checked_by),
            check.notes or "–",
        )
        for check in checks
    )
    return rows_html(CHECK_CELLS, rows)
