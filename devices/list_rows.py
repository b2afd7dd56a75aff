"""The device list's rows, built once per page in Python.

A 50-row page spent most of its time in the template engine (a dozen variable lookups, a
role test and a date filter per row). As Django's admin does for its change lists
(admin.templatetags.admin_list.items_for_result), each row is built here with
format_html, which escapes every value; templates/devices/device_list.html keeps the
table around them.
"""

from django.utils import dateformat, formats, timezone
from django.utils.html import format_html, format_html_join

from devices.models import Device
from kierratys.listing import link_maker, set_choice_labels

SELECT_CELL = '<td><input type="checkbox" name="code" value="{}" aria-label="{}"></td>'
BATCH_LINK = '<a href="{}">{}</a>'
DEVICE_CELLS = (
    '<tr>{}<td><a href="{}">{}</a></td><td>{}</td><td>{} {}</td><td>{}</td><td class="ref">{}</td>'
    '<td>{}</td><td><span class="badge {}">{}</span></td><td>{}</td></tr>'
)


def device_rows_html(devices, *, technician):
    """The rows of a page of selectors.device_list_rows; technicians get the label checkbox
    and the batch link."""
    devices = set_choice_labels(list(devices), Device, ("category", "status"))
    device_url = link_maker("devices:device_detail", "code")
    batch_url = link_maker("devices:batch_detail", "reference")
    short_date = formats.get_format("SHORT_DATE_FORMAT")
    batch_cells = {}
    rows = []
    for device in devices:
        code, reference = device.inventory_code, device.batch.reference
        if reference not in batch_cells:
            link = format_html(BATCH_LINK, batch_url(reference), reference)
            batch_cells[reference] = link if technician else reference
        rows.append(
            (
                format_html(SELECT_CELL, code, code) if technician else "",
                device_url(code),
                code,
                device.category_label,
                device.manufacturer,
                device.model,
                device.serial_number or "–",
                batch_cells[reference],
                device.batch.donor.name,
                device.status,
                device.status_label,
                dateformat.format(timezone.localtime(device.logged_at), short_date),
            )
        )
    return format_html_join("\n", DEVICE_CELLS, rows)
