"""Users: coordinators invite staff and donor users, change their role, take them out of use.

A user holds one role (kierratys.roles); coordinators are also `is_staff`, for the Django
admin. A donor user acts for one or more donor organisations (Donor.users). Users are
deactivated, never deleted, so every record they made keeps their name; each change
leaves a history row with the acting user and the reason (accounts.models).
"""

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import mail
from kierratys.roles import COACH, COORDINATOR, DONOR, ROLES, TECHNICIAN
from kierratys.timeline import person_name

# The group names are Finnish constants; these are the same words, translated for the pages
# and for an invitation in Swedish or English.
ROLE_LABELS = {
    COORDINATOR: _("Koordinaattori"),
    TECHNICIAN: _("Teknikko"),
    COACH: _("Työvalmentaja"),
    DONOR: _("Lahjoittaja"),
}

UNKNOWN_ROLE = _("Tuntematon rooli.")
USERNAME_TAKEN = _("Käyttäjätunnus %(username)s on jo käytössä.")
EMAIL_REQUIRED = _("Kutsu lähetetään sähköpostilla: anna käyttäjän sähköpostiosoite.")
EMAIL_TAKEN = _(
    "Sähköpostiosoite on jo käyttäjätunnuksen %(username)s. "
    "Jos henkilö palaa, ota vanha tunnus uudelleen käyttöön."
)
DONOR_REQUIRED = _("Valitse lahjoittajaorganisaatio, jonka puolesta käyttäjä toimii.")
DONOR_ONLY_FOR_DONOR_ROLE = _(
    "Lahjoittajaorganisaatio liitetään vain lahjoittajan käyttäjätunnukseen."
)
ROLE_UNCHANGED = _("Käyttäjällä on jo tämä rooli.")
OWN_ROLE = _("Et voi muuttaa omaa rooliasi. Pyydä toista koordinaattoria tekemään muutos.")
OWN_ACCOUNT = _("Et voi poistaa omaa käyttäjätunnustasi käytöstä.")
LAST_COORDINATOR = _(
    "%(name)s on ohjelman ainoa aktiivinen koordinaattori. "
    "Kutsu tai nimeä ensin toinen koordinaattori."
)
ALREADY_INACTIVE = _("Käyttäjätunnus on jo poistettu käytöstä.")
ALREADY_ACTIVE = _("Käyttäjätunnus on jo käytössä.")
INACTIVE_NOT_INVITED = _("Käyttäjätunnus on poistettu käytöstä: ota se ensin uudelleen käyttöön.")
INVITATION_ACCEPTED = _(
    "Käyttäjä on jo asettanut salasanansa. Unohtuneen salasanan voi vaihtaa "
    "kirjautumissivun linkistä."
)

# Change reasons in the user's history (code, in English, as the other services write them);
# accounts.timelines turns them into words.
INVITED = "invited"
ROLE_CHANGED = "role: {role}"
DEACTIVATED = "deactivated"
REACTIVATED = "reactivated"


class UserError(ValidationError):
    """A change to a user that the rules refuse; the message is shown to the coordinator."""


def role_of(user):
    """The user's role (group name), or "" for a user without one."""
    names = [group.name for group in user.groups.all() if group.name in ROLES]
    return min(names, key=ROLES.index) if names else ""


def active_coordinators():
    """Active users who hold the coordinator role (superusers count as coordinators)."""
    User = get_user_model()
    return User.objects.filter(
        Q(groups__name=COORDINATOR) | Q(is_superuser=True), is_active=True
    ).distinct()


def invitation_language(user, language=None):
    """The invitation's language: the one asked for, the donor organisation's, or Finnish."""
    if language:
        return language
    organisation = user.donor_organisations.first()
    return organisation.language if organisation else settings.LANGUAGE_CODE


def _check_role(role, donor, *, needs_donor=True):
    if role not in ROLES:
        raise UserError({"role": UNKNOWN_ROLE})
    if role == DONOR and donor is None and needs_donor:
        raise UserError({"donor": DONOR_REQUIRED})
    if role != DONOR and donor is not None:
        raise UserError({"donor": DONOR_ONLY_FOR_DONOR_ROLE})


def _check_unique(username, email):
    """Usernames and e-mail addresses are unique whatever their case: a login or a reset
    mail must find exactly one user."""
    others = get_user_model().objects
    if others.filter(username__iexact=username).exists():
        raise UserError({"username": USERNAME_TAKEN % {"username": username}})
    holder = others.filter(email__iexact=email).first()
    if holder is not None:
        raise UserError({"email": EMAIL_TAKEN % {"username": holder.username}})


def _record(user, actor, reason):
    user._history_user = actor
    user._change_reason = reason


def _locked(user):
    return get_user_model().objects.select_for_update().get(pk=user.pk)


def _check_not_last_coordinator(user):
    coordinators = active_coordinators()
    if coordinators.filter(pk=user.pk).exists() and not coordinators.exclude(pk=user.pk).exists():
        raise UserError(LAST_COORDINATOR % {"name": person_name(user)})


def _send_invitation(user, *, actor, language):
    mail.invitation_send(
        user=user,
        role_label=ROLE_LABELS.get(role_of(user), ""),
        invited_by=actor,
        language=invitation_language(user, language),
    )


def user_invite(*, actor, username, first_name, last_name, email, role, donor=None, language=None):
    """Create a password-less user in `role` and e-mail a set-password link once committed.

    Raises UserError (a taken username or e-mail, a donor user without an organisation)
    and, after the commit, mail.MailNotSent when the invitation could not go out.
    """
    _check_role(role, donor)
    if not email:
        raise UserError({"email": EMAIL_REQUIRED})
    User = get_user_model()
    email = User.objects.normalize_email(email)
    with transaction.atomic():
        _check_unique(username, email)
        user = User(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            is_staff=role == COORDINATOR,
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        _record(user, actor, INVITED)
        user.save()
        # A second history row, the first with the role group (a user needs a key first).
        user._change_reason = ROLE_CHANGED.format(role=role)
        user.groups.add(Group.objects.get(name=role))
        if donor is not None:
            donor.users.add(user)
        # After the commit: a mail must not promise an account that a rollback took away.
        # Not robust: a failed send reaches the caller, who tells the coordinator.
        transaction.on_commit(partial(_send_invitation, user, actor=actor, language=language))
    return user


def user_invitation_resend(*, user, actor, language=None):
    """E-mail a new set-password link to a user who has none yet; raises UserError, MailNotSent."""
    if not user.is_active:
        raise UserError(INACTIVE_NOT_INVITED)
    if user.has_usable_password():
        raise UserError(INVITATION_ACCEPTED)
    _send_invitation(user, actor=actor, language=language)


def user_change_role(*, user, role, actor, donor=None):
    """Give `user` the one role `role`; refuses the actor's own and the last coordinator's role."""
    with transaction.atomic():
        user = _locked(user)
        if actor is not None and user.pk == actor.pk:
            raise UserError({"role": OWN_ROLE})
        current = role_of(user)
        organisations = user.donor_organisations.all()
        _check_role(role, donor, needs_donor=not (current == DONOR and organisations.exists()))
        if role == current and (donor is None or organisations.filter(pk=donor.pk).exists()):
            raise UserError({"role": ROLE_UNCHANGED})
        if current == COORDINATOR and role != COORDINATOR:
            _check_not_last_coordinator(user)
        # The group changes leave no history rows of their own: the save below leaves one,
        # with the new groups, the actor and the reason.
        user.skip_history_when_saving = True
        try:
            user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=role))
            user.groups.add(Group.objects.get(name=role))
            if role != DONOR:
                # A later return to the donor role must name the organisation again, so
                # that a donor user never sees an organisation chosen long ago.
                user.donor_organisations.clear()
            elif donor is not None:
                donor.users.add(user)
        finally:
            del user.skip_history_when_saving
        user.is_staff = role == COORDINATOR or user.is_superuser
        _record(user, actor, ROLE_CHANGED.format(role=role))
        user.save(update_fields=["is_staff"])
    return user


def user_deactivate(*, user, actor):
    """Take `user` out of use, history kept; refuses the actor's own and the last coordinator."""
    with transaction.atomic():
        user = _locked(user)
        if actor is not None and user.pk == actor.pk:
            raise UserError(OWN_ACCOUNT)
        if not user.is_active:
            raise UserError(ALREADY_INACTIVE)
        _check_not_last_coordinator(user)
        user.is_active = False
        _record(user, actor, DEACTIVATED)
        # Django's session check refuses an inactive user, so open sessions end at once.
        user.save(update_fields=["is_active"])
    return user


def user_reactivate(*, user, actor):
    """Bring a deactivated user back into use, with the role and organisations it had."""
    with transaction.atomic():
        user = _locked(user)
        if user.is_active:
            raise UserError(ALREADY_ACTIVE)
        user.is_active = True
        _record(user, actor, REACTIVATED)
        user.save(update_fields=["is_active"])
    return user
