"""The donor form of the coordinator's donor pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from devices.models import Donor
from devices.services import DONOR_FIELDS
from kierratys.widgets import LanguageSelect


class DonorForm(forms.ModelForm):
    """A donor organisation's details; its business ID's check digit is the model's rule."""

    # Longer than the ID itself: it may be pasted with spaces, which clean_business_id drops.
    business_id = forms.CharField(
        label=Donor._meta.get_field("business_id").verbose_name,
        max_length=20,
        required=False,
        help_text=_("Muoto 1234567-8. Yksityishenkilöllä ei ole Y-tunnusta."),
    )

    class Meta:
        model = Donor
        fields = list(DONOR_FIELDS)
        widgets = {"address": forms.Textarea(attrs={"rows": 3}), "language": LanguageSelect()}
        help_texts = {
            "language": _("Kieli, jolla lahjoittajalle kirjoitetaan (raportit, todistukset)."),
        }

    def clean_business_id(self):
        # Copied from a letterhead as "1629284 - 5": the ID is without the spaces.
        return "".join(self.cleaned_data["business_id"].split())
