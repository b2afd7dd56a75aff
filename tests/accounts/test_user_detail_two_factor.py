"""The user page's button for a coordinator to remove a user's authenticator app."""

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.test_two_factor import enrol


def test_the_user_page_offers_removal_only_when_the_user_has_an_app(coordinator_client, coach):
    page = reverse("accounts:user_detail", args=[coach.pk])
    action = reverse("accounts:two_factor_remove_for_user", args=[coach.pk])
    assert action not in coordinator_client.get(page).content.decode()

    # An app set up but never confirmed is no app yet.
    TOTPDevice.objects.create(user=coach, name="kesken", confirmed=False)
    assert action not in coordinator_client.get(page).content.decode()

    enrol(coach)
    html = coordinator_client.get(page).content.decode()
    assert f'action="{action}"' in html
    assert f'name="next" value="{page}"' in html


def test_the_button_removes_the_app_and_comes_back_to_the_page(coordinator_client, coach):
    enrol(coach)
    page = reverse("accounts:user_detail", args=[coach.pk])
    response = coordinator_client.post(
        reverse("accounts:two_factor_remove_for_user", args=[coach.pk]), {"next": page}
    )
    assert response.status_code == 302
    assert response["Location"] == page
    assert not TOTPDevice.objects.filter(user=coach).exists()
    html = coordinator_client.get(page).content.decode()
    assert "kaksivaiheinen tunnistautuminen on poistettu" in html
    assert reverse("accounts:two_factor_remove_for_user", args=[coach.pk]) not in html
