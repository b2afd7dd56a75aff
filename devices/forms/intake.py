"""Forms of a single device's intake: typed at the keyboard, or one row of an imported list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from devices import services
from devices.models import BatchListItem, Device

IMEI_REQUIRED_FOR_PHONE = _("Puhelimelle IMEI on pakollinen (15 numeroa, *#06# näyttää sen).")


class BatchListRowForm(forms.ModelForm):
    """One row of a donor's device list."""

    category = forms.ChoiceField(label=_("laji"), choices=Device.Category.choices)

    class Meta:
        model = BatchListItem
        fields = ["category", "manufacturer", "model", "serial_number", "asset_tag"]


class DeviceIntakeForm(forms.ModelForm):
    """One device at intake; the same rules check every row of an imported list."""

    list_item = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Device
        fields = [
            "category",
            "manufacturer",
            "model",
            "serial_number",
            "imei",
            "asset_tag",
            "cpu",
            "ram_gb",
            "storage_gb",
            "storage_type",
            "screen_inches",
            "operating_system",
            "condition_grade",
            "has_charger",
            "has_case",
            "accessories_note",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "imei": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 15}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.attrs["autofocus"] = True
        for name in ("manufacturer", "model", "serial_number", "imei", "asset_tag", "cpu"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_serial_number(self):
        serial = self.cleaned_data["serial_number"].strip()
        known = Device.objects.filter(serial_number=serial).only("inventory_code").first()
        if serial and known:
            raise forms.ValidationError(
                services.SERIAL_ALREADY_IN_INVENTORY,
                code="duplicate_serial",
                params={"serial": serial, "code": known.inventory_code},
            )
        return serial

    def clean_imei(self):
        imei = "".join(self.cleaned_data["imei"].split())
        known = Device.objects.filter(imei=imei).only("inventory_code").first()
        if imei and known:
            raise forms.ValidationError(
                services.IMEI_ALREADY_IN_INVENTORY,
                code="duplicate_imei",
                params={"imei": imei, "code": known.inventory_code},
            )
        return imei

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("category") == Device.Category.PHONE
            and not cleaned.get("imei")
            and "imei" not in self.errors
        ):
            self.add_error("imei", IMEI_REQUIRED_FOR_PHONE)
        return cleaned

    def validate_unique(self):
        # Known serials and IMEIs are refused above with the intake service's own
        # message, which names the device that already has them.
        pass

    def device_fields(self):
        """The cleaned values to hand to services.device_intake."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}
