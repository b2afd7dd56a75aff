"""Coordinators keep the digital-support points that receipts print."""

import pytest
from django.urls import reverse

from clients.models import SupportPoint
from tests.factories import municipality

pytestmark = pytest.mark.django_db

POINT = {
    "name": "Kirjaston digitori",
    "municipality": "109",  # Hämeenlinna, by its code in the classification
    "address": "Lukiokatu 2",
    "opening_hours": "ti 10–14",
    "contact": "03 621 2000",
    "active": "on",
}


def test_coordinator_adds_and_edits_a_support_point(coordinator_client, coordinator):
    response = coordinator_client.post(reverse("clients:supportpoint_create"), POINT)
    assert response.status_code == 302
    point = SupportPoint.objects.get()
    assert point.municipality.name_fi == "Hämeenlinna"
    assert point.history.first().history_user == coordinator

    response = coordinator_client.post(
        reverse("clients:supportpoint_edit", kwargs={"pk": point.pk}),
        {**POINT, "opening_hours": "ti ja to 10–14", "active": ""},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.opening_hours == "ti ja to 10–14"
    assert point.active is False


def test_coordinator_sees_the_list(coordinator_client, django_assert_max_num_queries):
    tampere = municipality("Tampere")
    for number in range(5):
        SupportPoint.objects.create(
            name=f"Piste {number}", municipality=tampere, address="Katu", opening_hours="ma"
        )
    with django_assert_max_num_queries(8):
        response = coordinator_client.get(reverse("clients:supportpoint_list"))
    assert response.status_code == 200
    assert "Piste 4" in response.content.decode()


def test_required_fields_are_checked(coordinator_client):
    response = coordinator_client.post(reverse("clients:supportpoint_create"), {"name": "X"})
    assert response.status_code == 200
    assert not SupportPoint.objects.exists()


@pytest.mark.parametrize("user_fixture", ["coach", "technician", "donor_user"])
def test_other_roles_may_not_manage_support_points(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("clients:supportpoint_list")).status_code == 403
    assert client.post(reverse("clients:supportpoint_create"), POINT).status_code == 403
    assert not SupportPoint.objects.exists()


def test_coordinator_nav_links_to_support_points(coordinator_client):
    page = coordinator_client.get(reverse("home")).content.decode()
    assert reverse("clients:supportpoint_list") in page
    assert reverse("clients:overdue_loans") in page
