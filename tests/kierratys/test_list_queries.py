"""The coordinators' new list pages cost the same queries with 2 rows as with 12."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devices.models import Donor
from kierratys import roles
from tests.conftest import make_user
from tests.factories import (
    complete_milestones,
    make_batch,
    make_client,
    make_device,
    make_milestones,
)

pytestmark = pytest.mark.django_db


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_users(django_user_model, count, start):
    for n in range(start, start + count):
        role = (roles.COACH, roles.TECHNICIAN, roles.DONOR)[n % 3]
        make_user(django_user_model, f"user{n}", role, first_name=f"Nimi{n}")


def add_donors(technician, count, start):
    for n in range(start, start + count):
        donor = Donor.objects.create(name=f"Lahjoittaja {n}", kind=Donor.Kind.COMPANY)
        make_batch(donor, technician)


def test_user_list_queries_do_not_grow_with_users(coordinator_client, django_user_model):
    url = reverse("accounts:user_list")
    add_users(django_user_model, 2, 0)
    few = queries_of(coordinator_client, url)
    add_users(django_user_model, 10, 2)
    assert queries_of(coordinator_client, url) == few


def test_donor_list_queries_do_not_grow_with_donors(coordinator_client, technician):
    url = reverse("devices:donor_list")
    add_donors(technician, 2, 0)
    few = queries_of(coordinator_client, url)
    add_donors(technician, 10, 2)
    assert queries_of(coordinator_client, url) == few


def _eligible_clients(coach, milestones, count):
    for n in range(count):
        complete_milestones(make_client(coach, name=f"Asiakas {n}"), coach, milestones)


@pytest.mark.parametrize(
    ("name", "query"),
    [("clients:waiting_list", ""), ("clients:client_list", "?eligible=1&status=coaching")],
)
def test_waiting_and_eligible_lists_cost_the_same_with_2_or_20_rows(
    coordinator_client, coach, name, query
):
    """Stored eligibility: the count, the page's keys and its rows, however many clients wait."""
    milestones = make_milestones()
    url = reverse(name) + query
    _eligible_clients(coach, milestones, 2)
    few = queries_of(coordinator_client, url)
    _eligible_clients(coach, milestones, 18)
    assert queries_of(coordinator_client, url) == few
    assert coordinator_client.get(url).content.decode().count("<tr><") >= 20


@pytest.mark.parametrize("role", [roles.TECHNICIAN, roles.COACH])
def test_device_list_costs_the_same_with_2_or_20_rows(client, django_user_model, technician, role):
    client.force_login(make_user(django_user_model, f"lista-{role}", role))
    batch = make_batch(
        Donor.objects.create(name="Lahjoittaja", kind=Donor.Kind.COMPANY), technician
    )
    for _ in range(2):
        make_device(batch, technician)
    few = queries_of(client, reverse("devices:device_list"))
    for _ in range(18):
        make_device(batch, technician)
    assert queries_of(client, reverse("devices:device_list")) == few
