"""The user pages' forms, and the password-reset form that tells when no mail went out.

The rules (a donor user's organisation, unique usernames and e-mail addresses, the last
coordinator) live in accounts.services; these forms only give the input its shape.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts.mail import mail_send
from accounts.services import ROLE_LABELS
from devices.models import Donor
from kierratys.roles import ROLES

ROLE_CHOICES = [(role, ROLE_LABELS[role]) for role in ROLES]
ALL = [("", _("kaikki"))]


class DonorChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Donor.objects.order_by("name"),
            label=_("Lahjoittajaorganisaatio"),
            required=False,
            help_text=_("Vain lahjoittajan käyttäjätunnukselle."),
            **kwargs,
        )


class UserInviteForm(forms.Form):
    username = forms.CharField(
        label=_("Käyttäjätunnus"),
        max_length=150,
        help_text=_("Kirjaimia, numeroita ja merkkejä @ . + - _; esimerkiksi etunimi.sukunimi."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    first_name = forms.CharField(label=_("Etunimi"), max_length=150)
    last_name = forms.CharField(label=_("Sukunimi"), max_length=150)
    email = forms.EmailField(
        label=_("Sähköposti"),
        help_text=_("Kutsu salasanan asettamiseen lähtee tähän osoitteeseen."),
    )
    role = forms.ChoiceField(label=_("Rooli"), choices=ROLE_CHOICES)
    donor = DonorChoiceField()
    language = forms.ChoiceField(
        label=_("Kutsun kieli"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,
    )


class UserRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rooli"), choices=ROLE_CHOICES)
    donor = DonorChoiceField()


class InvitationResendForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Kutsun kieli"), choices=settings.LANGUAGES, required=False
    )


class UserFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Rooli"), choices=ALL + ROLE_CHOICES, required=False)
    active = forms.ChoiceField(
        label=_("Tila"),
        choices=[("1", _("käytössä")), ("0", _("poistettu käytöstä")), ("", _("kaikki"))],
        required=False,
    )


class MailedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending through accounts.mail: a failure raises MailNotSent
    (Django's own form logs it and lets the page say that the mail was sent)."""

    email = forms.EmailField(
        label=_("Sähköposti"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        mail_send(template="registration/password_reset", context=context, to=to_email)
