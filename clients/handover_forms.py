"""Forms of the handover flow and of the digital-support points."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.handovers import DUE_DATE_IN_PAST, LOAN_NEEDS_DUE_DATE
from clients.models import Handover, SupportPoint
from clients.validators import validate_no_identity_code
from devices.models import Device


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class HandoverCompleteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Luovutustapa"),
        choices=Handover.Kind.choices,
        widget=forms.RadioSelect,
        initial=Handover.Kind.GIFT,
    )
    due_date = forms.DateField(
        label=_("Palautettava viimeistään (laina)"), required=False, widget=DateInput()
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Handover.Kind.LOAN:
            due_date = cleaned.get("due_date")
            if due_date is None:
                self.add_error("due_date", LOAN_NEEDS_DUE_DATE)
            elif due_date <= timezone.localdate():
                self.add_error("due_date", DUE_DATE_IN_PAST)
        return cleaned


class HandoverReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Palautuspäivä"), widget=DateInput())
    condition = forms.ChoiceField(label=_("Kunto palautettaessa"), choices=Device.Grade.choices)
    note = forms.CharField(
        label=_("Huomiot"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_no_identity_code],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["returned_on"].initial = timezone.localdate()


class SupportPointForm(forms.ModelForm):
    class Meta:
        model = SupportPoint
        fields = ["name", "municipality", "address", "opening_hours", "contact", "active"]
