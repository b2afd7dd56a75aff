from django import forms
from django.utils.translation import gettext_lazy as _

from devices import importers, services
from devices.models import BatchListItem, Device, DonationBatch, Donor

IMEI_REQUIRED_FOR_PHONE = _("Puhelimelle IMEI on pakollinen (15 numeroa, *#06# näyttää sen).")
PICKUP_ADDRESS_REQUIRED = _("Kerro nouto-osoite, kun erä noudetaan lahjoittajalta.")
DONOR_REQUIRED = _("Valitse lahjoittaja.")


class BatchRegisterForm(forms.ModelForm):
    """A new batch; staff choose the donor, a donor user registers for his or her own."""

    donor = forms.ModelChoiceField(
        label=_("Lahjoittaja"), queryset=Donor.objects.none(), required=False
    )
    device_list = forms.FileField(
        label=_("Laiteluettelo (valinnainen)"),
        required=False,
        help_text=_(
            "CSV- tai XLSX-tiedosto, jonka sarakkeet ovat laji, valmistaja, malli, sarjanumero "
            "ja inventaariotunnus. Lajiksi käy kannettava, pöytäkone, tabletti, puhelin tai muu."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    class Meta:
        model = DonationBatch
        fields = [
            "declared_count",
            "declared_kinds",
            "delivery",
            "pickup_address",
            "pickup_window",
            "wants_certificate",
            "notes",
        ]
        widgets = {
            "pickup_address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "declared_kinds": _("Esim. 10 kannettavaa, 5 puhelinta."),
            "pickup_window": _("Esim. viikolla 12, arkisin klo 9–15."),
        }

    def __init__(self, *args, donors, choose_donor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = donors
        if choose_donor:
            self.fields["donor"].required = True
        elif donors.count() == 1:
            del self.fields["donor"]
        else:
            self.fields["donor"].required = True
        self.fields["declared_count"].widget.attrs.update({"min": 1, "autofocus": True})
        self.list_rows = []

    def clean_declared_count(self):
        count = self.cleaned_data["declared_count"]
        if count < 1:
            raise forms.ValidationError(_("Ilmoita vähintään yksi laite."))
        return count

    def clean_device_list(self):
        upload = self.cleaned_data.get("device_list")
        if upload:
            try:
                self.list_rows = importers.parse_donor_list(upload)
            except importers.ImportRejected as error:
                raise forms.ValidationError(error.messages) from None
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("delivery") == DonationBatch.Delivery.PICKUP and not cleaned.get(
            "pickup_address"
        ):
            self.add_error("pickup_address", PICKUP_ADDRESS_REQUIRED)
        return cleaned


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


class DeviceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Laiteluettelo (CSV tai XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx", "autofocus": True}),
    )
    condition_grade = forms.ChoiceField(
        label=_("Kuntoluokka riveille, joilla sitä ei ole"),
        choices=Device.Grade.choices,
        initial=Device.Grade.B,
    )


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
