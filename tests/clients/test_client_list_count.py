"""A coordinator's client list says "N asiakasta" from the stored stage figures (every client
counts once, kierratys.figures) instead of COUNT(*): it must say what counting would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients import selectors, services
from clients.models import Client
from reports import figures_source
from tests.factories import make_batch, make_client, make_eligible_client, make_ready_device

pytestmark = pytest.mark.django_db

LIST = reverse("clients:client_list")


def shown_count(client, **query):
    return client.get(LIST, query).context["page"].paginator.count


@pytest.fixture
def programme(coach, coordinator, donor, technician):
    """Clients in every stage: in coaching, eligible, with a reserved device, closed."""
    for number in range(3):
        make_client(coach, name=f"Asiakas {number}")
    make_eligible_client(coach, name="Odottaja")
    reserved = make_eligible_client(coach, name="Varaaja")
    device = make_ready_device(make_batch(donor, technician), technician)
    services.handover_reserve(client=reserved, device=device, actor=coordinator)
    services.client_close(client=make_client(coach, name="Lopettanut"), actor=coordinator)


def test_the_stored_figure_is_the_one_reports_keeps():
    assert selectors.STAGE_FIGURE == figures_source.STAGE


def test_the_coordinators_list_counts_every_client_without_counting_rows(
    coordinator_client, programme
):
    with CaptureQueriesContext(connection) as queries:
        shown = shown_count(coordinator_client)
    assert shown == Client.objects.count() == 6
    assert not [q for q in queries if "COUNT(*)" in q["sql"] and "clients_client" in q["sql"]]


def test_the_count_follows_a_new_and_a_closed_client_at_once(
    coordinator_client, programme, coach, coordinator
):
    make_client(coach, name="Uusi")
    assert shown_count(coordinator_client) == 7
    services.client_close(client=Client.objects.get(name="Uusi"), actor=coordinator)
    assert shown_count(coordinator_client) == Client.objects.count() == 7


def test_filtered_lists_and_a_coachs_own_list_still_count_their_rows(
    coordinator_client, coach_client, programme
):
    assert shown_count(coordinator_client, status=Client.Status.CLOSED) == 1
    assert shown_count(coordinator_client, q="Asiakas") == 3
    assert shown_count(coordinator_client, eligible="1") == (selectors.eligible_clients().count())
    assert shown_count(coach_client) == Client.objects.filter(coach__username="valmentaja").count()
