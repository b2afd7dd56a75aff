"""The text the erasure certificate prints for each device: its facts on the first line,
then one line per storage medium with the erasure that counts for it (or its latest
attempt, or why none is needed), in the language active when it is called.

Built here rather than in the template: a Django template spends about half a
millisecond a device on these few lines (the filters, the translated phrases, the
display methods), which is a second on a batch of 2,000 devices; this takes a tenth.
The template prints each text in a paragraph with `white-space: pre-line`, so the
newlines end the lines; the template's autoescaping escapes the values.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kierratys.templatetags.units import gigabytes

NO_VALUE = "–"
RETURNED_UNERASED = gettext_lazy(
    "Palautettu lahjoittajalle tyhjentämättä – tiedot ovat lahjoittajan vastuulla."
)


class _Printer:
    """Caches what repeats over a batch: people's names and the dates printed."""

    def __init__(self):
        self.names = {}
        self.dates = {}
        self.returned = str(RETURNED_UNERASED)  # in the language active now

    def name(self, user):
        name = self.names.get(user.pk)
        if name is None:
            name = self.names[user.pk] = user.get_full_name() or user.username
        return name

    def date(self, moment):
        day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
        text = self.dates.get(day)
        if text is None:
            text = self.dates[day] = date_format(day, "SHORT_DATE_FORMAT")
        return text

    def device_line(self, device):
        line = f"{device.inventory_code} {device.manufacturer} {device.model}, "
        line += device.serial_number or NO_VALUE
        if device.imei:
            line += f", IMEI {device.imei}"
        if device.asset_tag:
            line += f" ({device.asset_tag})"
        line += f", {device.get_category_display()}"
        if device.disposal_reason:
            line += f". {_('Poistettu:')} {device.get_disposal_reason_display()}"
        return line

    def medium_line(self, row, item):
        medium = item.medium
        line = medium.get_kind_display()
        if medium.model:
            line += f" {medium.model}"
        if medium.capacity_gb:
            line += f", {gigabytes(medium.capacity_gb)}"
        line += f", {medium.serial_number or NO_VALUE}: "
        erasure = item.erasure or item.latest
        if erasure is None:
            return line + (self.returned if row.returned_unerased else _("Odottaa tyhjennystä"))
        line += (
            f"{erasure.get_method_display()}: {erasure.get_technique_display()}; "
            f"{erasure.tool_name} {erasure.tool_version}, {erasure.get_verification_display()}; "
        )
        if item.erasure is not None:
            line += erasure.get_result_display()
        elif item.awaiting_validation:
            line += _("onnistui, odottaa tarkastusta")
        else:
            line += erasure.get_result_display()
            if erasure.failure_reason:
                line += f": {erasure.failure_reason}"
        line += f" {self.date(erasure.ended_at)}; {self.name(erasure.technician)}"
        if erasure.validated_by_id is not None:
            line += (
                f", {_('tarkastanut')} {self.name(erasure.validated_by)} "
                f"{self.date(erasure.validated_at)}"
            )
        if erasure.evidence_id is not None:
            line += f"; {erasure.evidence.original_name} {erasure.evidence.sha256[:16]}…"
        return line

    def paragraph(self, row):
        lines = [self.device_line(row.device)]
        lines += [self.medium_line(row, item) for item in row.media]
        if not row.media:
            lines.append(
                self.returned
                if row.returned_unerased
                else _("Laitteelle ei ole kirjattu tallennusvälinettä.")
            )
        return "\n".join(lines)


def device_texts(rows):
    """The printed text of each devices.certificate_rows DeviceRow, in order."""
    printer = _Printer()
    return [printer.paragraph(row) for row in rows]
