"""Client register pages: who sees which clients, creating and editing, the list without N+1."""

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Client
from clients.selectors import waiting_list
from tests.factories import complete_milestones, make_client, make_milestones, municipality


def _url(name, client=None, **kwargs):
    if client is not None:
        kwargs["code"] = client.code
    return reverse(f"clients:{name}", kwargs=kwargs or None)


def test_coach_creates_client_for_self(coach_client, coach):
    response = coach_client.post(
        _url("client_create"),
        {
            "name": "Maija Mäkinen",
            "phone": "040 765 4321",
            "municipality": municipality("Hattula").pk,
            "language": "sv",
            "service": Client.Service.SOCIAL,
            "device_need": "tablet",
            "accessibility_needs": "Iso näyttö",
            "notes": "",
            "consent_date": "2026-01-15",
        },
    )
    client = Client.objects.get()
    assert response.status_code == 302
    assert response.url == client.get_absolute_url()
    assert client.coach == coach
    assert client.code.startswith("AS-")
    assert client.history.get().history_user == coach


def test_coordinator_assigns_coach(coordinator_client, coordinator, coach):
    coordinator_client.post(
        _url("client_create"),
        {
            "name": "Pekka Peltonen",
            "municipality": municipality("Janakkala").pk,
            "language": "fi",
            "coach": coach.pk,
            "service": Client.Service.EMPLOYMENT,
            "device_need": "laptop",
            "consent_date": "2026-02-01",
        },
    )
    client = Client.objects.get()
    assert client.coach == coach
    assert client.history.get().history_user == coordinator


def test_coach_edits_own_client_and_history_has_editor(coach_client, coach):
    client = make_client(coach)
    response = coach_client.post(
        _url("client_edit", client),
        {
            "name": "Matti Meikäläinen",
            "phone": "050 111 2222",
            "municipality": municipality("Riihimäki").pk,
            "language": "fi",
            "service": Client.Service.EMPLOYMENT,
            "device_need": "laptop",
            "consent_date": "2026-01-10",
            "status": "closed",
        },
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.municipality.name_fi == "Riihimäki"
    assert client.status == Client.Status.CLOSED
    assert client.closed_on is not None
    latest = client.history.latest()
    assert latest.history_user == coach
    assert latest.municipality.name_fi == "Riihimäki"


@pytest.mark.parametrize("name", ["client_detail", "client_edit", "access_log"])
def test_other_coachs_client_is_not_found(coach_client, other_coach, name):
    client = make_client(other_coach)
    expected = 403 if name == "access_log" else 404
    assert coach_client.get(_url(name, client)).status_code == expected


@pytest.mark.parametrize("name", ["milestone_record"])
def test_other_coach_cannot_record_milestones(coach_client, other_coach, name):
    milestone = make_milestones()[0]
    client = make_client(other_coach)
    response = coach_client.post(
        _url(name, client), {"milestone": milestone.pk, "completed_on": "2026-01-02"}
    )
    assert response.status_code == 404
    assert not client.milestones.exists()


def test_other_coach_cannot_remove_milestones(coach_client, other_coach):
    milestone = make_milestones()[0]
    client = make_client(other_coach)
    complete_milestones(client, other_coach, [milestone])
    record = client.milestones.get()
    response = coach_client.post(_url("milestone_remove", client, pk=record.pk))
    assert response.status_code == 404
    assert client.milestones.exists()


def test_coach_list_shows_only_own_clients(coach_client, coach, other_coach):
    own = make_client(coach, name="Oma Asiakas")
    other = make_client(other_coach, name="Toisen Asiakas")
    content = coach_client.get(_url("client_list")).content.decode()
    assert own.code in content and "Oma Asiakas" in content
    assert other.code not in content and "Toisen Asiakas" not in content


def test_coordinator_sees_all_clients(coordinator_client, coach, other_coach):
    clients = [make_client(coach), make_client(other_coach)]
    content = coordinator_client.get(_url("client_list")).content.decode()
    for client in clients:
        assert client.code in content
    for client in clients:
        assert coordinator_client.get(_url("client_detail", client)).status_code == 200


@pytest.mark.parametrize("who", ["technician", "donor_user"])
@pytest.mark.parametrize(
    "name", ["client_list", "client_create", "waiting_list", "client_detail", "client_edit"]
)
def test_technicians_and_donors_get_403(request, client, coach, who, name):
    target = make_client(coach)
    client.force_login(request.getfixturevalue(who))
    kwargs = {"code": target.code} if name in ("client_detail", "client_edit") else {}
    assert client.get(reverse(f"clients:{name}", kwargs=kwargs or None)).status_code == 403


def test_anonymous_is_sent_to_login(client, coach):
    target = make_client(coach)
    response = client.get(_url("client_detail", target))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_list_shows_progress_and_eligibility(coach_client, coach):
    milestones = make_milestones()
    eligible = make_client(coach, name="Valmis Asiakas")
    complete_milestones(eligible, coach, milestones)
    halfway = make_client(coach, name="Kesken Asiakas")
    complete_milestones(halfway, coach, milestones[:2])
    content = coach_client.get(_url("client_list")).content.decode()
    assert f'<progress value="4" max="{len(milestones)}"' in content
    assert f'<progress value="2" max="{len(milestones)}"' in content
    assert content.count("oikeutettu laitteeseen") == 1
    filtered = coach_client.get(_url("client_list"), {"eligible": "1"}).content.decode()
    assert "Valmis Asiakas" in filtered and "Kesken Asiakas" not in filtered


def _make_clients(count, coaches, milestones, start=0):
    for i in range(start, start + count):
        client = make_client(coaches[i % len(coaches)], name=f"Asiakas {i}")
        done = (len(milestones) - i) % (len(milestones) + 1)  # the first one is eligible
        complete_milestones(client, client.coach, milestones[:done])


@pytest.mark.parametrize("page", ["client_list", "waiting_list"])
def test_list_query_count_does_not_grow_with_clients(
    coordinator_client, coach, other_coach, page, django_assert_num_queries
):
    milestones = make_milestones()
    _make_clients(3, [coach, other_coach], milestones)
    with CaptureQueriesContext(connection) as few:
        assert coordinator_client.get(_url(page)).status_code == 200
    _make_clients(27, [coach, other_coach], milestones, start=3)
    assert Client.objects.count() == 30
    with django_assert_num_queries(len(few.captured_queries)):
        response = coordinator_client.get(_url(page))
    assert response.status_code == 200
    shown = Client.objects.all() if page == "client_list" else waiting_list()
    assert shown.count() > 3
    content = response.content.decode()
    assert all(client.code in content for client in shown)


def test_second_coach_session_isolated(coach, other_coach):
    """Two coaches at once: each sees only his or her own client."""
    first, second = HttpClient(), HttpClient()
    first.force_login(coach)
    second.force_login(other_coach)
    mine, theirs = make_client(coach), make_client(other_coach)
    assert first.get(_url("client_detail", mine)).status_code == 200
    assert second.get(_url("client_detail", mine)).status_code == 404
    assert second.get(_url("client_detail", theirs)).status_code == 200
