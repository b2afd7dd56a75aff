"""Forms of corrections: a device's intake data with the reason, a batch's cancellation.

The rules (what may be corrected, that a reason is given and how long it may be) are the
services'; these forms show their refusals on the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from devices.models import Device
from devices.services import CORRECTABLE_FIELDS, REASON_MAX_LENGTH

_REASON_ATTRS = {"maxlength": REASON_MAX_LENGTH, "required": True, "autocomplete": "off"}


class DeviceCorrectionForm(forms.ModelForm):
    """What was typed at intake, to be corrected, and why (kept in the device's history)."""

    reason = forms.CharField(
        label=_("Korjauksen syy"),
        required=False,
        help_text=_("Näkyy laitteen historiassa, esim. ”sarjanumerossa kirjoitusvirhe”."),
        widget=forms.TextInput(attrs=_REASON_ATTRS),
    )

    class Meta:
        model = Device
        fields = list(CORRECTABLE_FIELDS)
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "imei": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 15}),
        }

    def clean_imei(self):
        # Typed or pasted as "35 209900 176148 1": the IMEI is its digits.
        return "".join(self.cleaned_data["imei"].split())

    def device_fields(self):
        """The cleaned values to hand to services.device_correct."""
        return {name: self.cleaned_data[name] for name in CORRECTABLE_FIELDS}


class BatchCancelForm(forms.Form):
    """Why a registered batch is cancelled (shown to its donor and kept in its history)."""

    reason = forms.CharField(
        label=_("Peruutuksen syy"),
        required=False,
        widget=forms.TextInput(attrs=_REASON_ATTRS),
    )
