"""The device list's search and filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from devices.models import Device


class DeviceFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Haku"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("koodi, sarjanumero tai malli")}
        ),
    )
    status = forms.ChoiceField(
        label=_("Tila"), required=False, choices=[("", _("kaikki"))] + Device.Status.choices
    )
    category = forms.ChoiceField(
        label=_("Laji"), required=False, choices=[("", _("kaikki"))] + Device.Category.choices
    )
    # Text, not selects: thousands of batches and hundreds of donors make a select
    # both slow to render and hard to use; a technician types the reference on the
    # label or the start of the donor's name.
    batch = forms.CharField(
        label=_("Erä"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": _("viite tai sen alku"), "size": 14}),
    )
    donor = forms.CharField(
        label=_("Lahjoittaja"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("nimen osa"), "size": 18}),
    )

    def clean_batch(self):
        return self.cleaned_data["batch"].strip().upper()

    def clean_donor(self):
        return self.cleaned_data["donor"].strip()
