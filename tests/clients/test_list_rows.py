"""The client list's and the waiting list's rows, built in Python (clients.list_rows)."""

import datetime

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from tests.factories import complete_milestones, make_client, make_milestones

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script> Virtanen'


@pytest.fixture
def milestones(db):
    return make_milestones()


@pytest.mark.parametrize("page", ["clients:client_list", "clients:waiting_list"])
def test_typed_values_are_escaped_in_the_rows(coordinator_client, coach, milestones, page):
    client = make_client(coach, name=SCRIPT)
    complete_milestones(client, coach, milestones)
    content = coordinator_client.get(reverse(page)).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Virtanen" in content
    assert SCRIPT not in content
    assert f'<a href="{client.get_absolute_url()}">{client.code}</a>' in content


@pytest.mark.parametrize("page", ["clients:client_list", "clients:waiting_list"])
def test_coach_column_only_for_coordinators(coordinator, coach, milestones, page):
    coach.first_name, coach.last_name = "Veera", "Valmentaja"
    coach.save()
    complete_milestones(make_client(coach), coach, milestones)
    as_coordinator, as_coach = HttpClient(), HttpClient()
    as_coordinator.force_login(coordinator)
    as_coach.force_login(coach)
    assert "<td>Veera Valmentaja</td>" in as_coordinator.get(reverse(page)).content.decode()
    assert "<td>Veera Valmentaja</td>" not in as_coach.get(reverse(page)).content.decode()


def test_a_municipality_typed_before_the_list_is_shown_to_check(coach_client, coach, milestones):
    client = make_client(coach)
    complete_milestones(client, coach, milestones)
    Client.objects.filter(pk=client.pk).update(municipality=None, municipality_text="Hämenlina")
    for page in ("clients:client_list", "clients:waiting_list"):
        content = coach_client.get(reverse(page)).content.decode()
        assert '<span class="badge outcome-attention">' in content and "Hämenlina" in content


def test_waiting_row_shows_the_day_and_the_time_waited(coach_client, coach, milestones):
    client = make_client(coach)
    day = timezone.localdate() - datetime.timedelta(days=14)
    complete_milestones(client, coach, milestones, on=day)
    content = coach_client.get(reverse("clients:waiting_list")).content.decode()
    assert f"<td>{day.day}.{day.month}.{day.year}</td>" in content
    assert '<td class="num">2\xa0viikkoa</td>' in content


def test_client_row_shows_progress_and_state(coach_client, coach, milestones):
    started, eligible = make_client(coach, name="Kesken"), make_client(coach, name="Valmis")
    complete_milestones(started, coach, milestones[:1])
    complete_milestones(eligible, coach, milestones)
    content = coach_client.get(reverse("clients:client_list")).content.decode()
    total = len(milestones)
    assert f'<progress value="1" max="{total}"' in content
    assert f'<span class="num">{total}/{total}</span>' in content
    assert '<span class="badge eligible">oikeutettu laitteeseen</span>' in content
    assert '<span class="badge coaching">valmennuksessa</span>' in content


@pytest.mark.parametrize("page", ["clients:client_list", "clients:waiting_list"])
def test_each_client_is_one_table_row(coordinator_client, coach, milestones, page):
    """A row's every cell, the waiting list's number first, is inside that client's <tr>."""
    clients = [make_client(coach, name=f"Asiakas {n}") for n in range(3)]
    for client in clients:
        complete_milestones(client, coach, milestones)
    content = coordinator_client.get(reverse(page)).content.decode()
    body = content.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [row for row in body.split("<tr>")[1:]]
    assert body.split("<tr>")[0].strip() == ""  # nothing before the first row
    assert len(rows) == len(clients)
    for row in rows:
        assert row.strip().endswith("</tr>")
        assert row.count("</tr>") == 1
