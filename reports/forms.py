"""The report filter: a date range and a municipality."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kierratys.widgets import DateInput
from reports import selectors as reports

FILTER_DATES_REVERSED = _("Alkupäivä on loppupäivän jälkeen.")


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("Alkaen"),
        required=False,
        widget=DateInput(),
    )
    date_to = forms.DateField(
        label=_("Päättyen"),
        required=False,
        widget=DateInput(),
    )
    municipality = forms.ChoiceField(label=_("Kunta"), required=False)

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        # `municipalities`: Municipality rows, in the order to show; the value is the code.
        self.fields["municipality"].choices = [("", _("kaikki kunnat"))] + [
            (municipality.pk, municipality.name) for municipality in municipalities
        ]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(FILTER_DATES_REVERSED)
        return data

    def report_filter(self):
        if not self.is_valid():
            return reports.ReportFilter()
        data = self.cleaned_data
        return reports.ReportFilter(
            date_from=data["date_from"],
            date_to=data["date_to"],
            municipality=data["municipality"] or "",
        )
