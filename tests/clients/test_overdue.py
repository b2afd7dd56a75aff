"""Overdue loans: a coach sees the own clients' loans, a coordinator all of them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import selectors, services
from clients.models import Handover
from tests.factories import (
    make_batch,
    make_eligible_client,
    make_ready_device,
    prepare_for_handover,
)

pytestmark = pytest.mark.django_db


def make_loan(coach, device, *, name):
    client = make_eligible_client(coach, name=name)
    reserved = services.handover_reserve(client=client, device=device, actor=coach)
    prepare_for_handover(reserved, coach)
    loan = services.handover_complete(
        handover=reserved,
        actor=coach,
        kind=Handover.Kind.LOAN,
        due_date=timezone.localdate() + datetime.timedelta(days=1),
    )
    return loan


@pytest.fixture
def loans(donor, technician, coach, other_coach):
    batch = make_batch(donor, technician, declared_count=10)
    mine = make_loan(coach, make_ready_device(batch, technician), name="Aino Oma")
    theirs = make_loan(
        other_coach,
        make_ready_device(batch, technician),
        name="Bertta Toinen",
    )
    on_time = make_loan(
        coach,
        make_ready_device(batch, technician),
        name="Cecilia Ajoissa",
    )
    return mine, theirs, on_time


def test_overdue_loans_are_those_past_the_due_date(coach, coordinator, loans):
    mine, theirs, on_time = loans
    later = timezone.localdate() + datetime.timedelta(days=5)
    assert list(selectors.overdue_loans(coach, today=later)) == [mine, on_time]
    assert set(selectors.overdue_loans(coordinator, today=later)) == {mine, theirs, on_time}
    assert list(selectors.overdue_loans(coordinator)) == []


def test_returned_loans_are_not_overdue(coach, loans):
    mine, _, _ = loans
    services.handover_return(
        handover=mine, actor=coach, returned_on=timezone.localdate(), condition="B"
    )
    later = timezone.localdate() + datetime.timedelta(days=5)
    assert mine not in selectors.overdue_loans(coach, today=later)


@pytest.fixture
def past_due(loans, monkeypatch):
    """Move the calendar a week forward so that every loan is overdue."""
    later = timezone.localdate() + datetime.timedelta(days=7)
    real_localdate = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, **kw: later if value is None else real_localdate(value, **kw),
    )
    return loans


def test_coach_sees_own_overdue_loans(coach_client, past_due, django_assert_max_num_queries):
    mine, theirs, on_time = past_due
    with django_assert_max_num_queries(12):
        response = coach_client.get(reverse("clients:overdue_loans"))
    page = response.content.decode()
    assert response.status_code == 200
    assert mine.client.code in page and mine.receipt_number in page
    assert on_time.client.code in page
    assert theirs.client.code not in page and "Bertta" not in page


def test_coordinator_sees_all_overdue_loans(client, coordinator, past_due):
    client.force_login(coordinator)
    page = client.get(reverse("clients:overdue_loans")).content.decode()
    for loan in past_due:
        assert loan.client.code in page


def test_home_page_counts_the_overdue_loans(coach_client, past_due):
    page = coach_client.get(reverse("home")).content.decode()
    assert "Erääntyneitä lainoja" in page
    # The coach's own two (mine, on_time), not the other coach's: the whole figure, linked.
    assert f'<a href="{reverse("clients:overdue_loans")}">2</a>' in page


def test_donor_cannot_see_overdue_loans(donor_client):
    assert donor_client.get(reverse("clients:overdue_loans")).status_code == 403
