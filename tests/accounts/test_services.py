"""Users through the services: invite with a working set-password link, role changes,
deactivation and its refusals, and the history each change leaves."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.mail import MAIL_NOT_CONFIGURED, MailNotSent
from accounts.tokens import invitation_token_generator
from kierratys import roles
from tests.accounts.invitations import NEW_PASSWORD, invite, link_to, set_password_from
from tests.support import mail_links

pytestmark = pytest.mark.django_db


def test_invite_sends_one_mail_whose_link_sets_a_password_to_log_in_with(
    coordinator, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(coordinator)
    assert not user.has_usable_password()
    assert user.groups.get().name == roles.COACH
    assert not user.is_staff
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["uusi.valmentaja@example.fi"]
    assert "uusi.valmentaja" in mail.body
    assert "Työvalmentaja" in mail.body
    link = link_to(mail_links(mail), "/invitation/")

    response = set_password_from(link, client)
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    login = client.post(reverse("login"), {"username": "uusi.valmentaja", "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert client.get(reverse("home")).context["user"] == user

    # The link works once: the new password hash makes the token invalid.
    again = client.get(urlsplit(link).path, follow=True)
    assert not again.context["validlink"]


def test_the_invitation_is_not_sent_before_the_commit(coordinator, mailoutbox):
    # No captured commit: the transaction the test runs in never commits.
    invite(coordinator)
    assert mailoutbox == []


def test_an_invitation_link_does_not_reset_a_password_and_expires_with_use(
    coordinator, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(coordinator)
    link = link_to(mail_links(mailoutbox[0]), "/invitation/")
    # The same uid and token on the reset page: a different key salt, not valid there.
    reset = link.replace("/accounts/invitation/", "/accounts/reset/")
    response = client.get(urlsplit(reset).path, follow=True)
    assert not response.context["validlink"]


def test_a_donor_user_is_linked_to_the_organisation_and_invited_in_its_language(
    coordinator, donor, mailoutbox, django_capture_on_commit_callbacks
):
    donor.language = "sv"
    donor.save()
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(coordinator, username="it.hamk", role=roles.DONOR, donor=donor)
    assert list(user.donor_organisations.all()) == [donor]
    assert services.invitation_language(user) == "sv"
    assert len(mailoutbox) == 1


def test_a_coordinator_is_staff_for_the_admin(coordinator):
    assert invite(coordinator, username="uusi.koordinaattori", role=roles.COORDINATOR).is_staff


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"role": roles.DONOR}, "donor", services.DONOR_REQUIRED),
        ({"role": "Pääkäyttäjä"}, "role", services.UNKNOWN_ROLE),
        ({"email": ""}, "email", services.EMAIL_REQUIRED),
    ],
)
def test_invite_refuses(coordinator, extra, field, message):
    with pytest.raises(ValidationError) as refused:
        invite(coordinator, **extra)
    assert refused.value.message_dict[field] == [str(message)]
    assert not get_user_model().objects.filter(username="uusi.valmentaja").exists()


def test_invite_refuses_a_donor_organisation_for_a_staff_user(coordinator, donor):
    with pytest.raises(ValidationError) as refused:
        invite(coordinator, donor=donor)
    assert refused.value.message_dict["donor"] == [str(services.DONOR_ONLY_FOR_DONOR_ROLE)]


@pytest.mark.parametrize(
    ("username", "email", "field"),
    [
        ("KOORDINAATTORI", "toinen@example.fi", "username"),
        ("toinen", "Koordinaattori@Example.fi", "email"),
    ],
)
def test_usernames_and_email_addresses_are_unique_whatever_their_case(
    coordinator, username, email, field
):
    coordinator.email = "koordinaattori@example.fi"
    coordinator.save()
    with pytest.raises(ValidationError) as refused:
        invite(coordinator, username=username, email=email)
    assert list(refused.value.message_dict) == [field]


def test_an_invalid_username_is_refused_by_the_user_models_own_validator(coordinator):
    with pytest.raises(ValidationError) as refused:
        invite(coordinator, username="ei käy", email="eikay@example.fi")
    assert "username" in refused.value.message_dict


def test_invite_without_mail_configured_creates_the_user_and_says_no_mail_went(
    coordinator, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MAIL_CONFIGURED = False
    with pytest.raises(MailNotSent) as not_sent:
        with django_capture_on_commit_callbacks(execute=True):
            invite(coordinator)
    assert not_sent.value.message == MAIL_NOT_CONFIGURED
    assert get_user_model().objects.filter(username="uusi.valmentaja").exists()
    assert mailoutbox == []


def test_resend_sends_a_new_link_only_while_no_password_is_set(
    coordinator, coach, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(coordinator)
    services.user_invitation_resend(user=user, actor=coordinator)
    assert len(mailoutbox) == 2
    with pytest.raises(ValidationError, match=str(services.INVITATION_ACCEPTED)[:20]):
        services.user_invitation_resend(user=coach, actor=coordinator)


def test_change_role_replaces_the_role_and_staff_flag(coordinator, coach):
    user = services.user_change_role(user=coach, role=roles.COORDINATOR, actor=coordinator)
    assert [group.name for group in user.groups.all()] == [roles.COORDINATOR]
    assert user.is_staff
    user = services.user_change_role(user=user, role=roles.TECHNICIAN, actor=coordinator)
    assert [group.name for group in user.groups.all()] == [roles.TECHNICIAN]
    assert not user.is_staff


def test_change_role_to_donor_needs_the_organisation_and_leaving_it_unlinks(
    coordinator, coach, donor
):
    with pytest.raises(ValidationError) as refused:
        services.user_change_role(user=coach, role=roles.DONOR, actor=coordinator)
    assert refused.value.message_dict["donor"] == [str(services.DONOR_REQUIRED)]
    user = services.user_change_role(user=coach, role=roles.DONOR, donor=donor, actor=coordinator)
    assert roles.is_donor(get_user_model().objects.get(pk=user.pk))
    assert list(user.donor_organisations.all()) == [donor]
    user = services.user_change_role(user=user, role=roles.COACH, actor=coordinator)
    assert not user.donor_organisations.exists()


@pytest.mark.parametrize(
    ("target", "role", "message"),
    [
        ("coordinator", roles.COACH, services.OWN_ROLE),
        ("coach", roles.COACH, services.ROLE_UNCHANGED),
    ],
)
def test_change_role_refuses(request, coordinator, target, role, message):
    user = request.getfixturevalue(target)
    with pytest.raises(ValidationError) as refused:
        services.user_change_role(user=user, role=role, actor=coordinator)
    assert refused.value.message_dict["role"] == [str(message)]


def test_the_last_coordinators_role_is_not_taken_away(coordinator, coach, django_user_model):
    # A command or the shell (no acting coordinator) meets the same rule as the page.
    with pytest.raises(ValidationError) as refused:
        services.user_change_role(user=coordinator, role=roles.COACH, actor=None)
    assert "ainoa aktiivinen koordinaattori" in refused.value.messages[0]
    services.user_change_role(user=coach, role=roles.COORDINATOR, actor=coordinator)
    services.user_change_role(user=coordinator, role=roles.COACH, actor=coach)


def test_deactivate_keeps_the_user_and_ends_its_session(coordinator, coach, client):
    client.force_login(coach)
    user = services.user_deactivate(user=coach, actor=coordinator)
    assert not user.is_active
    assert get_user_model().objects.filter(pk=coach.pk).exists()
    # The open session of the deactivated user is anonymous from the next request on.
    assert client.get(reverse("home")).status_code == 302
    services.user_reactivate(user=user, actor=coordinator)
    assert get_user_model().objects.get(pk=coach.pk).is_active


def test_deactivate_refuses_the_actors_own_account(coordinator, coach):
    services.user_change_role(user=coach, role=roles.COORDINATOR, actor=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.user_deactivate(user=coordinator, actor=coordinator)
    assert refused.value.messages == [str(services.OWN_ACCOUNT)]


def test_deactivate_refuses_the_last_active_coordinator(coordinator, coach):
    second = services.user_change_role(user=coach, role=roles.COORDINATOR, actor=coordinator)
    services.user_deactivate(user=second, actor=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.user_deactivate(user=coordinator, actor=None)
    assert "ainoa aktiivinen koordinaattori" in refused.value.messages[0]
    coordinator.refresh_from_db()
    assert coordinator.is_active


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (services.user_deactivate, services.ALREADY_INACTIVE),
        (services.user_reactivate, services.ALREADY_ACTIVE),
    ],
)
def test_deactivate_and_reactivate_refuse_the_state_the_user_is_in(
    coordinator, technician, action, message
):
    if action is services.user_deactivate:
        services.user_deactivate(user=technician, actor=coordinator)
    with pytest.raises(ValidationError) as refused:
        action(user=technician, actor=coordinator)
    assert refused.value.messages == [str(message)]


def test_each_change_leaves_a_history_row_with_the_actor_and_reason(
    coordinator, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(coordinator)
    services.user_change_role(user=user, role=roles.TECHNICIAN, actor=coordinator)
    services.user_deactivate(user=user, actor=coordinator)
    services.user_reactivate(user=user, actor=coordinator)
    rows = list(user.history.order_by("history_date", "history_id"))
    assert [row.history_type for row in rows] == ["+", "~", "~", "~", "~"]
    assert {row.history_user for row in rows} == {coordinator}
    assert [row.history_change_reason for row in rows] == [
        services.INVITED,
        "role: Työvalmentaja",  # the role group, added right after the user was made
        "role: Teknikko",
        services.DEACTIVATED,
        services.REACTIVATED,
    ]
    # The role change is one row, with the new role in its groups.
    assert [row.group.name for row in rows[2].groups.all()] == [roles.TECHNICIAN]
    assert [row.is_active for row in rows][-2:] == [False, True]


def test_the_history_keeps_no_password_hash_and_no_row_per_login(coach, client):
    before = coach.history.count()
    client.force_login(coach)
    client.logout()
    client.force_login(coach)
    assert coach.history.count() == before
    assert "password" not in {field.name for field in coach.history.model._meta.fields}


def test_an_invitation_link_lasts_three_days(
    coordinator, client, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(coordinator)
    link = link_to(mail_links(mailoutbox[0]), "/invitation/")
    later = invitation_token_generator._now() + datetime.timedelta(days=3, minutes=1)
    monkeypatch.setattr(invitation_token_generator, "_now", lambda: later)
    response = client.get(urlsplit(link).path, follow=True)
    assert not response.context["validlink"]
    assert "Kutsulinkki ei ole voimassa" in response.content.decode()


def test_a_user_taken_out_of_use_cannot_accept_the_invitation(
    coordinator, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(coordinator)
    services.user_deactivate(user=user, actor=coordinator)
    link = link_to(mail_links(mailoutbox[0]), "/invitation/")
    assert not client.get(urlsplit(link).path, follow=True).context["validlink"]
