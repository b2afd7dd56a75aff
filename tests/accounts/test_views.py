"""The user pages: coordinators only; list and filters in a fixed number of queries, the
invite form, the user page's role change and deactivation, and what each page says."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.mail import MAIL_FAILED
from kierratys import roles
from tests.accounts.invitations import invite
from tests.support import free_port, messages_of

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:user_list")
INVITE = reverse("accounts:user_invite")


def detail(user):
    return reverse("accounts:user_detail", args=[user.pk])


def names_listed(response):
    return [person.username for person in response.context["page"]]


@pytest.mark.parametrize("user", ["technician", "coach", "donor_user"])
def test_only_coordinators_reach_the_user_pages(request, client, user, coach):
    client.force_login(request.getfixturevalue(user))
    assert client.get(LIST).status_code == 403
    assert client.get(INVITE).status_code == 403
    assert client.get(detail(coach)).status_code == 403
    response = client.post(reverse("accounts:user_deactivate", args=[coach.pk]))
    assert response.status_code == 403
    coach.refresh_from_db()
    assert coach.is_active


def test_the_list_filters_by_role_and_shows_users_in_use_by_default(
    coordinator_client, coordinator, coach, technician, donor_user, donor
):
    services.user_deactivate(user=technician, actor=coordinator)
    # By name: Kaisa, Laura, Veera (the fixtures' users have first names only).
    response = coordinator_client.get(LIST)
    assert names_listed(response) == ["koordinaattori", "lahjoittaja", "valmentaja"]
    assert set(names_listed(coordinator_client.get(LIST, {"active": "0"}))) == {"teknikko"}
    assert set(names_listed(coordinator_client.get(LIST, {"active": ""}))) == {
        "koordinaattori",
        "valmentaja",
        "lahjoittaja",
        "teknikko",
    }
    donors = coordinator_client.get(LIST, {"role": roles.DONOR})
    assert names_listed(donors) == ["lahjoittaja"]
    body = donors.content.decode()
    assert donor.name in body
    assert "Lahjoittaja" in body


def test_the_list_costs_the_same_queries_for_three_users_or_thirty(coordinator_client, coordinator):
    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_client.get(LIST).status_code == 200
        return len(captured)

    for number in range(2):
        invite(coordinator, username=f"kutsuttu{number}")
    count_queries()  # the session's first request does its own bookkeeping
    few = count_queries()
    for number in range(2, 30):
        invite(coordinator, username=f"kutsuttu{number}")
    assert count_queries() == few


def test_invite_form_creates_the_user_and_goes_to_its_page(
    coordinator_client, mailoutbox, django_capture_on_commit_callbacks, donor
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            INVITE,
            {
                "username": "lahjoittaja.uusi",
                "first_name": "Liisa",
                "last_name": "Lahjoittaja",
                "email": "liisa@example.fi",
                "role": roles.DONOR,
                "donor": donor.pk,
                "language": "fi",
            },
        )
    user = get_user_model().objects.get(username="lahjoittaja.uusi")
    assert response.status_code == 302
    assert response["Location"] == detail(user)
    assert list(user.donor_organisations.all()) == [donor]
    assert len(mailoutbox) == 1


def test_invite_form_shows_the_services_refusal_on_the_field(coordinator_client, coach):
    coach.email = "veera@example.fi"
    coach.save()
    response = coordinator_client.post(
        INVITE,
        {
            "username": "veera2",
            "first_name": "Veera",
            "last_name": "Kaksi",
            "email": "VEERA@example.fi",
            "role": roles.COACH,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [
        str(services.EMAIL_TAKEN % {"username": "valmentaja"})
    ]
    assert response.context["form"].errors.keys() == {"email"}


def test_invite_form_without_a_donor_for_a_donor_user_shows_why(coordinator_client):
    response = coordinator_client.post(
        INVITE,
        {
            "username": "ilman.organisaatiota",
            "first_name": "Iida",
            "last_name": "Ilman",
            "email": "iida@example.fi",
            "role": roles.DONOR,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["donor"] == [str(services.DONOR_REQUIRED)]


@pytest.mark.django_db(transaction=True)
def test_invite_with_a_failing_mail_server_says_the_user_exists_but_no_mail_went(
    coordinator_client, settings, caplog
):
    # A real commit (transaction=True), so the invitation is sent as in production:
    # to a port where nothing listens.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    response = coordinator_client.post(
        INVITE,
        {
            "username": "uusi.teknikko",
            "first_name": "Taru",
            "last_name": "Teknikko",
            "email": "taru@example.fi",
            "role": roles.TECHNICIAN,
        },
    )
    user = get_user_model().objects.get(username="uusi.teknikko")
    assert response["Location"] == detail(user)
    [message] = messages_of(response)
    assert "on lisätty, mutta kutsua ei lähetetty" in message
    assert str(MAIL_FAILED) in message
    assert "Sending accounts/invitation to taru@example.fi failed" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_invite_says_the_mail_was_sent_when_it_was(coordinator_client, mailoutbox):
    response = coordinator_client.post(
        INVITE,
        {
            "username": "uusi.koordinaattori",
            "first_name": "Kalle",
            "last_name": "Koordinaattori",
            "email": "kalle@example.fi",
            "role": roles.COORDINATOR,
        },
    )
    assert messages_of(response) == [
        "Käyttäjä Kalle Koordinaattori on lisätty ja kutsu lähetetty osoitteeseen kalle@example.fi."
    ]
    assert len(mailoutbox) == 1


def test_the_user_page_shows_role_history_and_actions(coordinator_client, coordinator, coach):
    services.user_change_role(user=coach, role=roles.TECHNICIAN, actor=coordinator)
    response = coordinator_client.get(detail(coach))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Teknikko" in body
    assert reverse("accounts:user_deactivate", args=[coach.pk]) in body
    assert "rooli: Teknikko" in body  # the history names the change
    assert "Kaisa" in body  # ...and who made it
    # A user who has set a password is not offered a new invitation.
    assert reverse("accounts:user_invitation_resend", args=[coach.pk]) not in body


def test_the_coordinators_own_page_offers_no_changes(coordinator_client, coordinator):
    body = coordinator_client.get(detail(coordinator)).content.decode()
    assert reverse("accounts:user_deactivate", args=[coordinator.pk]) not in body
    assert reverse("accounts:user_change_role", args=[coordinator.pk]) not in body


def test_role_change_and_deactivation_through_the_page(coordinator_client, coach):
    response = coordinator_client.post(
        reverse("accounts:user_change_role", args=[coach.pk]), {"role": roles.TECHNICIAN}
    )
    assert response["Location"] == detail(coach)
    assert messages_of(response) == ["Käyttäjän Veera rooli on nyt Teknikko."]
    assert roles.is_technician(get_user_model().objects.get(pk=coach.pk))

    response = coordinator_client.post(reverse("accounts:user_deactivate", args=[coach.pk]))
    assert response["Location"] == detail(coach)
    coach.refresh_from_db()
    assert not coach.is_active
    response = coordinator_client.post(reverse("accounts:user_reactivate", args=[coach.pk]))
    coach.refresh_from_db()
    assert coach.is_active


def test_a_refused_deactivation_comes_back_as_a_message(coordinator_client, coordinator):
    response = coordinator_client.post(reverse("accounts:user_deactivate", args=[coordinator.pk]))
    assert messages_of(response) == [str(services.OWN_ACCOUNT)]
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_resend_without_mail_configured_says_so(
    coordinator_client, coordinator, settings, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(coordinator)
    settings.MAIL_CONFIGURED = False
    page = coordinator_client.get(detail(user)).content.decode()
    assert "kutsua ei voi lähettää" in page
    response = coordinator_client.post(
        reverse("accounts:user_invitation_resend", args=[user.pk]), {"language": "sv"}
    )
    [message] = messages_of(response)
    assert message.startswith("Kutsua ei lähetetty: Sähköpostia ei ole määritetty")
    assert len(mailoutbox) == 1  # the first invitation only


@pytest.mark.parametrize(
    "page",
    [LIST, reverse("home")],
    ids=["navigation", "start page"],
)
def test_coordinators_find_the_user_pages(coordinator_client, page):
    assert f'href="{LIST}"' in coordinator_client.get(page).content.decode()


def test_the_admin_title_is_the_programmes(coordinator_client):
    body = coordinator_client.get(reverse("admin:index")).content.decode()
    assert "Digikierrättämö" in body
    assert "Djangon ylläpito" not in body


@pytest.mark.parametrize("user", ["coordinator", "technician", "coach", "donor_user"])
def test_everyone_changes_the_password_on_the_applications_page(request, client, user):
    person = request.getfixturevalue(user)
    client.force_login(person)
    change = reverse("password_change")
    page = client.get(reverse("home"))
    assert f'href="{change}"' in page.content.decode()
    form = client.get(change)
    assert "registration/password_change_form.html" in [t.name for t in form.templates]
    response = client.post(
        change,
        {
            "old_password": "test-pass-1234",
            "new_password1": "Uusi-salasana-2026",
            "new_password2": "Uusi-salasana-2026",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    person.refresh_from_db()
    assert person.check_password("Uusi-salasana-2026")
