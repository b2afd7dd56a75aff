"""Forms of a single device's intake: typed at the keyboard, or one row of an imported list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from devices.models import INTAKE_FIELDS, BatchListItem, Device


class BatchListRowForm(forms.ModelForm):
    """One row of a donor's device list."""

    category = forms.ChoiceField(label=_("laji"), choices=Device.Category.choices)

    class Meta:
        model = BatchListItem
        fields = ["category", "manufacturer", "model", "serial_number", "asset_tag"]


class DeviceIntakeForm(forms.ModelForm):
    """One device at intake, typed or a row of an imported list.

    Its rules (IMEI for phones, a serial or IMEI already in the inventory) are
    Device.clean()'s, which both this form and services.device_intake run."""

    list_item = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Device
        fields = list(INTAKE_FIELDS)
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "imei": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 15}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.attrs["autofocus"] = True
        for name in ("manufacturer", "model", "serial_number", "imei", "asset_tag", "cpu"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_imei(self):
        # Typed or pasted as "35 209900 176148 1": the IMEI is its digits.
        return "".join(self.cleaned_data["imei"].split())

    def device_fields(self):
        """The cleaned values to hand to services.device_intake."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}
