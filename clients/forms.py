"""Forms of the client register and of handovers.

No typed field accepts a personal identity code: the model fields' validators refuse
it (clients.models.NO_IDENTITY_CODE) and the model forms show that message on the
field; the return note's refusal comes from handover_return. Dates in the future (consent,
milestone) are refused by the models' clean(), which the model forms show on the field."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.handover_rules import BACKDATING_MAX_DAYS, KIND_MISSING
from clients.models import (
    Client,
    Handover,
    HandoverReadiness,
    Milestone,
    SupportPoint,
)
from clients.selectors import municipalities_by_name
from clients.services import RETURN_CONDITION_MISSING
from devices.models import Device
from kierratys import roles
from kierratys.widgets import DateInput, LanguageSelect

MUNICIPALITY_NOT_IN_LIST = _(
    "Aiemmin kirjattu kunta ”%(text)s” ei ole kuntaluettelossa: valitse kunta luettelosta."
)


def municipality_select(form):
    """The municipality field as a list in the active language's alphabetical order.

    A record whose municipality was typed before the list and named none (kept in
    municipality_text) shows that text beside the field, for the choice to be made."""
    field = form.fields["municipality"]
    field.choices = [("", field.empty_label)] + [
        (municipality.pk, municipality.name) for municipality in municipalities_by_name()
    ]
    if form.instance.municipality_id is None and form.instance.municipality_text:
        field.help_text = MUNICIPALITY_NOT_IN_LIST % {"text": form.instance.municipality_text}


def coach_choices():
    return (
        get_user_model()
        .objects.filter(groups__name=roles.COACH, is_active=True)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


class ClientForm(forms.ModelForm):
    """The client's record; coordinators also choose the job coach."""

    class Meta:
        model = Client
        fields = [
            "name",
            "phone",
            "municipality",
            "language",
            "coach",
            "service",
            "device_need",
            "accessibility_needs",
            "notes",
            "consent_date",
            "status",
        ]
        widgets = {
            "consent_date": DateInput(),
            "language": LanguageSelect(),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "accessibility_needs": _("Esim. iso näyttö, yksinkertaistettu aloitusnäkymä."),
            "notes": _("Vain valmennuksen kannalta tarpeellinen. Ei henkilötunnusta."),
            "consent_date": _("Päivä, jona asiakas antoi suostumuksen tietojensa käsittelyyn."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipality_select(self)
        if roles.is_coordinator(user):
            self.fields["coach"].queryset = coach_choices()
            self.fields["coach"].label_from_instance = lambda u: u.get_full_name() or u.username
        else:
            del self.fields["coach"]
        if self.instance.pk is None:
            # No initial value: consent is recorded as given on the day it was given, by hand.
            del self.fields["status"]
        elif self.instance.status == Client.Status.SERVED:
            # Served follows a gift handover; the coach may only close the record early.
            self.fields["status"].choices = [
                (Client.Status.SERVED, Client.Status.SERVED.label),
                (Client.Status.CLOSED, Client.Status.CLOSED.label),
            ]
        else:
            self.fields["status"].choices = [
                (Client.Status.COACHING, Client.Status.COACHING.label),
                (Client.Status.CLOSED, Client.Status.CLOSED.label),
            ]


MILESTONE_DATE_MISSING = _("Välitavoite ”%(milestone)s”: kirjaa päivä, jona se saavutettiin.")
MILESTONE_DATE_INVALID = _("Välitavoite ”%(milestone)s”: päivämäärä on virheellinen.")


class MilestoneRecordsForm(forms.Form):
    """The active milestones the client has not reached yet: tick those reached, each with its
    day (today unless changed) and a note; services.client_milestones_record saves them."""

    FIELDS = ("done", "completed_on", "note")

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.milestones = list(
            Milestone.objects.filter(active=True).exclude(
                pk__in=client.milestones.values("milestone")
            )
        )
        today = timezone.localdate()
        for milestone in self.milestones:
            names = {"milestone": milestone.name}
            self.fields[self.field_name(milestone, "done")] = forms.BooleanField(
                label=_("Saavutettu"), required=False
            )
            self.fields[self.field_name(milestone, "completed_on")] = forms.DateField(
                label=_("Päivämäärä"),
                required=False,
                initial=today,
                widget=DateInput(attrs={"max": today.isoformat()}),
                error_messages={"invalid": MILESTONE_DATE_INVALID % names},
            )
            self.fields[self.field_name(milestone, "note")] = forms.CharField(
                label=_("Huomio"), required=False
            )

    @staticmethod
    def field_name(milestone, field):
        return f"{field}_{milestone.pk}"

    def groups(self):
        """(milestone, its bound fields) in catalogue order, for a fieldset each."""
        return [
            (milestone, [self[self.field_name(milestone, field)] for field in self.FIELDS])
            for milestone in self.milestones
        ]

    def clean(self):
        cleaned = super().clean()
        for milestone in self.milestones:
            date_field = self.field_name(milestone, "completed_on")
            ticked = cleaned.get(self.field_name(milestone, "done"))
            if ticked and date_field in cleaned and cleaned[date_field] is None:
                self.add_error(date_field, MILESTONE_DATE_MISSING % {"milestone": milestone.name})
        return cleaned

    def records(self):
        """The ticked milestones as (milestone, completed_on, note), after is_valid()."""
        return [
            (
                milestone,
                self.cleaned_data[self.field_name(milestone, "completed_on")],
                self.cleaned_data[self.field_name(milestone, "note")],
            )
            for milestone in self.milestones
            if self.cleaned_data.get(self.field_name(milestone, "done"))
        ]


class MilestoneForm(forms.ModelForm):
    """A step of the coaching catalogue with its names and descriptions in three languages."""

    class Meta:
        model = Milestone
        fields = [
            "code",
            "order",
            "required",
            "active",
            "name_fi",
            "description_fi",
            "name_sv",
            "description_sv",
            "name_en",
            "description_en",
        ]
        widgets = {
            "description_fi": forms.Textarea(attrs={"rows": 3}),
            "description_sv": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "required": _(
                "Asiakas saa laitteen, kun kaikki käytössä olevat pakolliset "
                "välitavoitteet on saavutettu."
            ),
        }


HANDED_OVER_ON_HELP = _(
    "Tänään, ellei laitetta luovutettu aiemmin (enintään %(days)s päivää sitten)."
)


class HandoverCompleteForm(forms.Form):
    """The terms of a handover; services.handover_complete_check holds the rules.

    Gift or loan has no default: a coach who skips it is asked, never given a gift.
    """

    kind = forms.ChoiceField(
        label=_("Luovutustapa"),
        choices=Handover.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": KIND_MISSING},
    )
    due_date = forms.DateField(
        label=_("Palautettava viimeistään (vain laina)"),
        required=False,
        widget=DateInput(),
        help_text=_("Jätä tyhjäksi, kun laite annetaan lahjaksi."),
    )
    handed_over_on = forms.DateField(
        label=_("Luovutuspäivä"),
        widget=DateInput(),
    )
    backdating_reason = forms.CharField(
        label=_("Syy jälkikäteen kirjaamiseen"),
        required=False,
        max_length=200,
        help_text=_(
            "Pakollinen, jos luovutuspäivä ei ole tänään. Älä kirjaa asiakkaan terveystietoja."
        ),
    )
    coach_phone = forms.CharField(
        label=_("Työvalmentajan puhelin kuittiin"),
        required=False,
        max_length=40,
        help_text=_("Asiakas soittaa tähän numeroon, jos tarvitsee apua."),
    )

    def __init__(self, *args, coach=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handed_over_on"].initial = timezone.localdate()
        self.fields["handed_over_on"].help_text = HANDED_OVER_ON_HELP % {
            "days": BACKDATING_MAX_DAYS
        }
        if coach is not None:
            # The number this coach printed last time, so it is typed once.
            self.fields["coach_phone"].initial = (
                Handover.objects.filter(handed_over_by=coach)
                .exclude(coach_phone="")
                .order_by("-handed_over_at")
                .values_list("coach_phone", flat=True)
                .first()
            )


class HandoverReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Palautuspäivä"), widget=DateInput())
    condition = forms.ChoiceField(
        label=_("Kunto palautettaessa"),
        choices=Device.Grade.choices,
        error_messages={"required": RETURN_CONDITION_MISSING},
    )
    note = forms.CharField(
        label=_("Huomiot"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["returned_on"].initial = timezone.localdate()


class HandoverReadinessForm(forms.ModelForm):
    """The readiness checklist of a reserved device; readiness_record holds the rule."""

    class Meta:
        model = HandoverReadiness
        fields = [*HandoverReadiness.CHECK_FIELDS, "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class SupportPointForm(forms.ModelForm):
    class Meta:
        model = SupportPoint
        fields = ["name", "municipality", "address", "opening_hours", "contact", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        municipality_select(self)
