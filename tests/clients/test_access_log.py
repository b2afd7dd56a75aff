"""Reading a client's personal data leaves an access-log row; coordinators see who looked."""

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from clients.access_log import access_log_record
from clients.models import AccessLog
from tests.factories import make_client


def test_opening_client_page_writes_access_log(coach_client, coach):
    client = make_client(coach)
    assert not AccessLog.objects.exists()
    assert coach_client.get(client.get_absolute_url()).status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.client, entry.user, entry.action) == (client, coach, AccessLog.Action.VIEW)
    assert entry.at is not None


def test_opening_edit_form_writes_access_log(coach_client, coach):
    client = make_client(coach)
    coach_client.get(reverse("clients:client_edit", kwargs={"code": client.code}))
    assert AccessLog.objects.get().action == AccessLog.Action.EDIT_FORM


def test_refused_access_writes_nothing(coach_client, other_coach):
    client = make_client(other_coach)
    assert coach_client.get(client.get_absolute_url()).status_code == 404
    assert not AccessLog.objects.exists()


def test_client_list_does_not_log_each_client(coach_client, coach):
    make_client(coach)
    coach_client.get(reverse("clients:client_list"))
    assert not AccessLog.objects.exists()


def test_coordinator_sees_who_looked(coordinator_client, coordinator, coach, other_coach):
    client = make_client(coach)
    other = make_client(other_coach)
    coach_browser = HttpClient()
    coach_browser.force_login(coach)
    coach_browser.get(client.get_absolute_url())
    coach_browser.get(reverse("clients:client_edit", kwargs={"code": client.code}))
    access_log_record(client=other, user=other_coach, action=AccessLog.Action.VIEW)

    detail = coordinator_client.get(client.get_absolute_url()).content.decode()
    log_url = reverse("clients:access_log", kwargs={"code": client.code})
    assert log_url in detail
    response = coordinator_client.get(log_url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "valmentaja" in content and "Veera" in content
    assert "koordinaattori" in content  # the coordinator's own look is logged too
    assert "asiakastietojen katselu" in content and "muokkauslomake" in content
    assert "valmentaja2" not in content  # another client's log is not shown
    assert [e.user for e in response.context["page"]] == [coordinator, coach, coach]


def test_coach_has_no_access_log_page_and_no_link(coach_client, coach):
    client = make_client(coach)
    log_url = reverse("clients:access_log", kwargs={"code": client.code})
    assert log_url not in coach_client.get(client.get_absolute_url()).content.decode()
    assert coach_client.get(log_url).status_code == 403


def test_unknown_action_is_refused(coach):
    client = make_client(coach)
    with pytest.raises(ValueError):
        access_log_record(client=client, user=coach, action="peek")
