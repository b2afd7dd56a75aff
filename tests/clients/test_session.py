"""Staff sessions end after 30 minutes without activity; each request renews the 30 minutes."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

THIRTY_MINUTES = datetime.timedelta(minutes=30)


@pytest.fixture
def clock(monkeypatch):
    """Move the server's clock forward (sessions read timezone.now())."""
    real_now = timezone.now
    offset = {"value": datetime.timedelta(0)}
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset["value"])

    def advance(**delta):
        offset["value"] += datetime.timedelta(**delta)
        return timezone.now()

    return advance


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_session_lasts_thirty_minutes_from_each_request(coach_client):
    response = coach_client.get(reverse("clients:client_list"))
    assert response.status_code == 200
    left = _expiry(coach_client) - timezone.now()
    assert THIRTY_MINUTES - datetime.timedelta(seconds=30) < left <= THIRTY_MINUTES
    assert coach_client.session.get_expiry_age() == 30 * 60
    # The cookie lives only as long as the browser: nothing stays behind on a shared computer.
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""


def test_activity_keeps_session_alive_inactivity_ends_it(coach_client, clock):
    url = reverse("clients:client_list")
    assert coach_client.get(url).status_code == 200
    first_expiry = _expiry(coach_client)

    clock(minutes=29)
    assert coach_client.get(url).status_code == 200
    assert _expiry(coach_client) > first_expiry  # renewed by the request

    clock(minutes=29)  # 58 minutes after login, but only 29 idle
    assert coach_client.get(url).status_code == 200

    clock(minutes=31)  # 31 minutes idle
    response = coach_client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_idle_exactly_over_limit_logs_out_coordinator(coordinator_client, clock):
    url = reverse("clients:milestone_list")
    assert coordinator_client.get(url).status_code == 200
    clock(minutes=30, seconds=1)
    assert coordinator_client.get(url).status_code == 302
