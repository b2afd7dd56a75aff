"""The client list and the client page say where a client stands: reserved, on loan (with
the return date), overdue, handed over, eligible or the coaching status."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from clients import services
from clients.models import Handover
from tests.clients.loan_factories import make_loan, move_calendar
from tests.factories import (
    make_batch,
    make_client,
    make_eligible_client,
    make_ready_device,
    prepare_for_handover,
)

pytestmark = pytest.mark.django_db


def _badge(page, client):
    row = page.split(client.code, 1)[1].split("</tr>", 1)[0]
    return row.split('class="badge', 1)[1].split("</span>", 1)[0]


def _short(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@pytest.fixture
def clients(donor, technician, coach):
    batch = make_batch(donor, technician, declared_count=10)
    waiting = make_eligible_client(coach, name="Odottava")
    reserved_client = make_eligible_client(coach, name="Varannut")
    services.handover_reserve(
        client=reserved_client, device=make_ready_device(batch, technician), actor=coach
    )
    loan = make_loan(coach, make_ready_device(batch, technician), due_in=3, name="Lainaaja")
    gift_client = make_eligible_client(coach, name="Lahjan saanut")
    gift = services.handover_reserve(
        client=gift_client, device=make_ready_device(batch, technician), actor=coach
    )
    prepare_for_handover(gift, coach)
    services.handover_complete(handover=gift, actor=coach, kind=Handover.Kind.GIFT)
    starting = make_client(coach, name="Aloittava")
    return {
        "waiting": waiting,
        "reserved": reserved_client,
        "loan": loan,
        "gift": gift_client,
        "starting": starting,
    }


def test_each_client_in_the_list_shows_the_real_state(coach_client, clients):
    page = coach_client.get(reverse("clients:client_list")).content.decode()
    due = clients["loan"].due_date
    assert "oikeutettu laitteeseen" in _badge(page, clients["waiting"])
    assert "laite varattu" in _badge(page, clients["reserved"])
    assert f"laite lainassa, palautus {_short(due)}" in _badge(page, clients["loan"].client)
    assert "laite luovutettu" in _badge(page, clients["gift"])
    assert "valmennuksessa" in _badge(page, clients["starting"])


def test_an_overdue_loan_is_never_shown_as_eligible(coach_client, clients, monkeypatch):
    loan = clients["loan"]
    move_calendar(monkeypatch, 5)
    page = coach_client.get(reverse("clients:client_list")).content.decode()
    badge = _badge(page, loan.client)
    assert f"laina myöhässä, palautus oli {_short(loan.due_date)}" in badge
    assert "failed" in badge and "eligible" not in badge
    detail = coach_client.get(reverse("clients:client_detail", kwargs={"code": loan.client.code}))
    heading = detail.content.decode().split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert "laina myöhässä" in heading and "oikeutettu laitteeseen" not in heading


def test_the_state_costs_no_query_per_row(coach_client, clients, coach):
    url = reverse("clients:client_list")
    with CaptureQueriesContext(connection) as few:
        coach_client.get(url)
    for index in range(5):
        make_eligible_client(coach, name=f"Lisää {index}")
    with CaptureQueriesContext(connection) as more:
        coach_client.get(url)
    assert len(more) == len(few)


def test_the_date_of_today_is_not_yet_overdue(coach_client, clients, monkeypatch):
    loan = clients["loan"]
    assert loan.due_date == timezone.localdate() + datetime.timedelta(days=3)
    move_calendar(monkeypatch, 3)
    page = coach_client.get(reverse("clients:client_list")).content.decode()
    assert "laite lainassa" in _badge(page, loan.client)
