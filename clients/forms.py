"""Forms of the client register and of handovers.

No typed field accepts a personal identity code: the model fields' validators refuse
it (clients.models.NO_IDENTITY_CODE) and the model forms show that message on the
field; the return note's refusal comes from handover_return. Dates in the future (consent,
milestone) are refused by the models' clean(), which the model forms show on the field."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import (
    Client,
    ClientMilestone,
    Handover,
    HandoverReadiness,
    Milestone,
    SupportPoint,
)
from clients.selectors import municipalities_by_name
from clients.services import DUE_DATE_IN_PAST, LOAN_NEEDS_DUE_DATE, RETURN_CONDITION_MISSING
from devices.models import Device
from kierratys import roles
from kierratys.widgets import DateInput

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
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "accessibility_needs": _("Esim. iso näyttö, yksinkertaistettu aloitusnäkymä."),
            "notes": _("Vain valmennuksen kannalta tarpeellinen. Ei henkilötunnusta."),
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
            del self.fields["status"]
            self.fields["consent_date"].initial = timezone.localdate()
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


class MilestoneRecordForm(forms.ModelForm):
    """A milestone the client has reached: which, when, a short note."""

    class Meta:
        model = ClientMilestone
        fields = ["milestone", "completed_on", "note"]
        widgets = {
            "completed_on": DateInput(),
            "note": forms.TextInput(),
        }

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = Milestone.objects.filter(active=True).exclude(
            pk__in=client.milestones.values("milestone")
        )
        self.fields["completed_on"].initial = timezone.localdate()


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
