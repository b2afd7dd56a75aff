"""Forms of the technician's processing pages: erasure log, refurbishment check, disposal.

The technician is always the logged-in user; no form has a field for it.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from devices.models import Device, Erasure, RefurbishmentCheck
from kierratys.widgets import DateTimeLocalInput


class ErasureForm(forms.ModelForm):
    """One erasure attempt of `device`.

    The rules (times, technique within its category, factory reset only for phones
    and tablets) are Erasure.clean()'s and run here on an instance that knows its
    device; the disposal reason's rule is services.erasure_record's, and the view
    shows its refusal on the field with `show_refusal`."""

    disposal_reason = forms.ChoiceField(
        label=_("Mitä tuhotulle laitteelle tehtiin"),
        choices=[("", "---------"), *Device.DisposalReason.choices],
        required=False,
        help_text=_("Vain kun menetelmä on ”Destroy” ja tulos onnistui."),
    )

    class Meta:
        model = Erasure
        fields = [
            "method",
            "technique",
            "tool_name",
            "tool_version",
            "started_at",
            "ended_at",
            "verification",
            "result",
            "notes",
        ]
        widgets = {
            "started_at": DateTimeLocalInput(),
            "ended_at": DateTimeLocalInput(),
            "method": forms.RadioSelect,
            "verification": forms.RadioSelect,
            "result": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "tool_name": _("Esim. nwipe, Blancco, hdparm, nvme-cli"),
        }

    def __init__(self, *args, device, technician=None, **kwargs):
        self.device = device
        kwargs.setdefault("instance", Erasure(device=device))
        super().__init__(*args, **kwargs)
        for name in ("method", "verification", "result"):
            # Radio buttons need no empty "---------" choice.
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        if not self.is_bound:
            self.initial.update(_initial_values(technician))

    # Device and technician are no form fields; the service validates the whole row.
    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.update({"device", "technician"})
        return exclusions


def _initial_values(technician):
    """Start and end around now, and the tool the technician used last time."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    values = {"started_at": now - datetime.timedelta(minutes=30), "ended_at": now}
    if technician is not None:
        last = (
            Erasure.objects.filter(technician=technician)
            .order_by("-recorded_at")
            .values("method", "technique", "tool_name", "tool_version", "verification")
            .first()
        )
        if last:
            values.update(last)
    return values


class RefurbishmentForm(forms.ModelForm):
    """The refurbishment checklist; a complete one makes the device ready."""

    class Meta:
        model = RefurbishmentCheck
        fields = [*RefurbishmentCheck.CHECK_FIELDS, "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class DisposeForm(forms.Form):
    """Dispose of a received or erased device that is beyond repair."""

    disposal_reason = forms.ChoiceField(
        label=_("Mitä laitteelle tehdään"), choices=Device.DisposalReason.choices
    )
