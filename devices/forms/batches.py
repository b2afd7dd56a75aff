"""The form of registering a donation batch, with the donor's own device list (its rows are
read and confirmed on the preview that follows: devices.views.imports)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from devices.forms.imports import check_upload, with_size_limit
from devices.models import DonationBatch, Donor
from devices.services.batches import BATCH_DETAIL_FIELDS

DONOR_REQUIRED = _("Valitse lahjoittaja.")


class BatchDetailsForm(forms.ModelForm):
    """What a donor declares of a batch: at registration and in a change before receipt."""

    class Meta:
        model = DonationBatch
        fields = list(BATCH_DETAIL_FIELDS)
        widgets = {
            "pickup_address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "declared_kinds": _("Esim. 10 kannettavaa, 5 puhelinta."),
            "pickup_window": _("Esim. viikolla 12, arkisin klo 9–15."),
        }

    # The pickup-address and device-count rules are DonationBatch.clean()'s: the ModelForm's
    # own validation shows them on their fields, and the services meet them too.


class BatchRegisterForm(BatchDetailsForm):
    """A new batch; staff choose the donor, a donor user registers for his or her own."""

    donor = forms.ModelChoiceField(
        label=_("Lahjoittaja"), queryset=Donor.objects.none(), required=False
    )
    device_list = forms.FileField(
        label=_("Laiteluettelo (valinnainen)"),
        required=False,
        help_text=with_size_limit(
            _(
                "CSV- tai XLSX-tiedosto, enintään %(max)s, jonka sarakkeet ovat laji, valmistaja, "
                "malli, sarjanumero ja inventaariotunnus. Lajiksi käy kannettava, pöytäkone, "
                "tabletti, puhelin tai muu. Näet seuraavaksi, miten rivit luettiin, ja vahvistat "
                "luettelon."
            )
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

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

    def clean_device_list(self):
        # Only the file's size and type here: its rows are read on the preview that
        # follows the registration, where the donor sees and confirms them.
        upload = self.cleaned_data.get("device_list")
        if upload:
            check_upload(upload)
        return upload
