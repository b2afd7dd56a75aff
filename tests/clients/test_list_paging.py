"""Client list and waiting list past the first page: figures and order stay right.

The lists page their clients before working out progress for the shown rows only,
so these check the rows of a later page, filters combined with paging, and that
eligibility follows the catalogue (a new required milestone, an optional one).
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from clients import selectors, services
from clients.models import Client
from tests.factories import complete_milestones, make_client, make_milestones

PAGE = 50


def _codes(response):
    return [client.code for client in response.context["page"].object_list]


def test_second_page_of_client_list_shows_each_rows_progress(coach_client, coach):
    milestones = make_milestones()
    for i in range(PAGE):
        make_client(coach, name=f"Aalto {i:02d}")
    done = make_client(coach, name="Öhman Valmis")
    complete_milestones(done, coach, milestones)
    halfway = make_client(coach, name="Öhman Kesken")
    complete_milestones(halfway, coach, milestones[:1])

    response = coach_client.get(reverse("clients:client_list"), {"page": 2})
    assert _codes(response) == [halfway.code, done.code]
    rows = {client.code: client for client in response.context["page"].object_list}
    assert (rows[done.code].done_required, rows[done.code].eligible) == (len(milestones), True)
    assert (rows[halfway.code].done_required, rows[halfway.code].eligible) == (1, False)
    content = response.content.decode()
    assert f'<progress value="1" max="{len(milestones)}"' in content
    assert content.count("oikeutettu laitteeseen") == 1

    first = coach_client.get(reverse("clients:client_list")).content.decode()
    assert f'<progress value="0" max="{len(milestones)}"' in first
    assert "Sivu 1 / 2" in first


def test_eligible_filter_with_status_and_paging(coach_client, coach):
    milestones = make_milestones()
    eligible = [make_client(coach, name=f"Oikeutettu {i:02d}") for i in range(PAGE + 1)]
    for client in eligible:
        complete_milestones(client, coach, milestones)
    make_client(coach, name="Kesken")
    closed = make_client(coach, name="Päättynyt")
    complete_milestones(closed, coach, milestones)
    services.client_update(client=closed, actor=coach, status=Client.Status.CLOSED)

    url = reverse("clients:client_list")
    first = coach_client.get(url, {"eligible": "1", "status": "coaching"})
    assert "Sivu 1 / 2" in first.content.decode()
    last = coach_client.get(url, {"eligible": "1", "status": "coaching", "page": 2})
    assert _codes(last) == [eligible[-1].code]
    # A closed client has done every step but is not eligible.
    assert closed.code not in _codes(coach_client.get(url, {"eligible": "1", "page": 2}))


def test_waiting_list_second_page_continues_the_order(coach_client, coach):
    milestones = make_milestones()
    today = timezone.localdate()
    clients = []
    for days in range(PAGE + 2, 0, -1):  # the first made has waited longest
        client = make_client(coach)
        complete_milestones(client, coach, milestones, on=today - datetime.timedelta(days=days))
        clients.append(client)

    response = coach_client.get(reverse("clients:waiting_list"), {"page": 2})
    assert _codes(response) == [clients[-2].code, clients[-1].code]
    shown = response.context["page"].object_list
    assert [client.eligible_since for client in shown] == [
        today - datetime.timedelta(days=2),
        today - datetime.timedelta(days=1),
    ]
    content = response.content.decode()
    assert '<td class="num">51</td>' in content and '<td class="num">52</td>' in content
    assert _codes(coach_client.get(reverse("clients:waiting_list")))[0] == clients[0].code


def test_eligibility_follows_the_catalogue(coach, coordinator):
    milestones = make_milestones()
    client = make_client(coach)
    complete_milestones(client, coach, milestones)
    assert list(selectors.eligible_clients().values_list("pk", flat=True)) == [client.pk]

    optional = services.milestone_create(
        actor=coordinator,
        code="extra",
        name_fi="Lisä",
        name_sv="Extra",
        name_en="Extra",
        order=99,
        required=False,
    )
    annotated = selectors.with_progress(Client.objects.filter(pk=client.pk)).get()
    assert (annotated.eligible, annotated.done_required) == (True, len(milestones))

    services.milestone_update(milestone=optional, actor=coordinator, required=True)
    annotated = selectors.with_progress(Client.objects.filter(pk=client.pk)).get()
    assert (annotated.eligible, annotated.required_total) == (False, len(milestones) + 1)
    assert not selectors.waiting_list().exists()

    services.milestone_update(milestone=optional, actor=coordinator, active=False)
    assert list(selectors.waiting_list().values_list("pk", flat=True)) == [client.pk]
