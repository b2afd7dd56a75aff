"""The coordinators' new list pages cost the same queries with 2 rows as with 12."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devices.models import Donor
from kierratys import roles
from tests.conftest import make_user
from tests.factories import make_batch

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
