"""The client list's page of rows, read by a query compiled once for a full page, is the
page the plain queryset gives: every row, figure and open handover, in the list's order,
for a full page, a short one and an empty one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients import selectors
from clients.models import Client
from tests.factories import complete_milestones, make_client, make_milestones

pytestmark = pytest.mark.django_db

SHOWN = (
    "pk", "code", "name", "status", "eligible_since", "done_required", "required_total",
    "eligible", "open_handover_status", "open_handover_kind", "open_handover_due",
)  # fmt: skip


def shown(rows):
    return [
        (*(getattr(row, name) for name in SHOWN), row.coach.username, str(row.municipality))
        for row in rows
    ]


def page(offset, size):
    return Client.objects.order_by(*selectors.CLIENT_LIST_ORDER).values("pk")[
        offset : offset + size
    ]


@pytest.fixture
def clients(coach, coordinator):
    milestones = make_milestones(actor=coordinator)
    made = [make_client(coach, name=f"Asiakas {number:02d}") for number in range(7)]
    complete_milestones(made[2], coach, milestones)
    complete_milestones(made[5], coach, milestones[:1])
    return made


@pytest.mark.parametrize(("offset", "size"), [(0, 7), (2, 3), (6, 5), (7, 5)])
def test_a_page_is_the_page_the_plain_query_gives(clients, offset, size):
    keys = [row["pk"] for row in page(offset, size)]
    expected = shown(selectors._client_list_rows(keys)) if keys else []
    with CaptureQueriesContext(connection) as captured:
        rows = selectors.client_list_rows(page(offset, size))
        got = shown(rows)
    assert got == expected
    assert len(got) == len(keys)
    assert len(captured.captured_queries) == (2 if keys else 1)  # the keys, then the rows


def test_the_eligible_client_reads_as_eligible_with_its_figures(clients):
    rows = {row.pk: row for row in selectors.client_list_rows(page(0, 7))}
    eligible = rows[clients[2].pk]
    assert eligible.eligible is True
    assert eligible.done_required == eligible.required_total > 0
    assert rows[clients[5].pk].eligible is False
    assert rows[clients[5].pk].done_required == 1


def test_more_keys_than_a_page_are_still_read(clients, monkeypatch):
    monkeypatch.setattr(selectors, "CLIENT_LIST_PAGE", 3)
    rows = selectors.client_list_rows(page(0, 7))
    assert shown(rows) == shown(selectors._client_list_rows([c.pk for c in clients]))
