"""The public verification page of a certificate: no login, no personal data, a plain 404
for a wrong code, throttled, and the figures at issue beside the batch's now."""

import re
import uuid

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.urls import reverse

from clients import services as client_services
from clients.models import Handover
from devices import services
from devices.models import Donor
from devices.views.verification import LOOKUPS_PER_WINDOW, TOO_MANY_LOOKUPS
from tests.devices.certificate_data import second_technician, three_device_batch
from tests.factories import (
    erase,
    make_batch,
    make_device,
    make_eligible_client,
    prepare_for_handover,
    refurbish,
)


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    # The throttle counts in Django's cache (a database table, kept between the tests
    # that flush the database rather than roll it back).
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issued(donor, technician, coach, django_user_model, settings, tmp_path):
    """A validated, partly erased batch with a device handed over to a client; its certificate."""
    settings.MEDIA_ROOT = tmp_path
    settings.ERASURE_VALIDATION_REQUIRED = True
    data = three_device_batch(donor, technician)
    validator = second_technician(django_user_model)
    for erasure in data.erasures:
        services.erasure_validate(erasure=erasure, actor=validator)
    gift = make_device(data.batch, technician, serial_number="SN-GIFT-4")
    services.erasure_validate(erasure=erase(gift, technician), actor=validator)
    refurbish(gift, technician)
    client = make_eligible_client(coach, name="Aino Asiakas")
    handover = client_services.handover_reserve(client=client, device=gift, actor=coach)
    prepare_for_handover(handover, coach)
    client_services.handover_complete(handover=handover, actor=coach, kind=Handover.Kind.GIFT)
    data.certificate = services.certificate_issue(batch=data.batch, actor=technician)
    return data


def verify_url(code):
    return reverse("devices:certificate_verify", kwargs={"code": code})


def text_of(response):
    """The page's visible text, tags removed, on one line."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_anyone_sees_the_certificate_and_the_batch_without_logging_in(client, issued):
    certificate = issued.certificate
    response = client.get(verify_url(certificate.verification_code))

    assert response.status_code == 200
    text = text_of(response)
    assert "Tyhjennystodistus on aito" in text
    assert certificate.number in text
    assert issued.batch.reference in text
    assert "Hämeen ammattikorkeakoulu" in text
    assert f"{certificate.issued_at.day}.{certificate.issued_at.month}." in text
    # Devices, erased, pending, disposed: at issue and now (the same).
    assert "Laitteita yhteensä 4 4" in text
    assert "Tyhjennetty 2 2" in text
    assert "Odottaa tyhjennystä 1 1" in text
    assert "Poistettu 1 1" in text
    assert "Osittainen todistus: 1 erän laite odotti tyhjennystä" in text


def test_the_page_holds_no_personal_data(client, issued):
    body = client.get(verify_url(issued.certificate.verification_code)).content.decode()

    for personal in (
        "Teemu",  # the technician
        "Tuula",  # the validator
        "Tarkastaja",
        "Aino Asiakas",  # the client who got a device
        "Outi Oksanen",  # the donor's contact person
        "it@example.fi",
    ):
        assert personal not in body
    for serial in ("SN-LAPTOP-1", "WD-HDD-SERIAL-77", "S4EWNX0R123456", "SN-GIFT-4"):
        assert serial not in body
    assert issued.laptop.inventory_code not in body
    assert issued.evidence.sha256 not in body


def test_a_private_donor_is_not_named(client, donor, technician):
    person = services.donor_create(
        actor=technician, name="Pekka Yksityinen", kind=Donor.Kind.PRIVATE_PERSON
    )
    batch = make_batch(person, technician)
    erase(make_device(batch, technician), technician)
    certificate = services.certificate_issue(batch=batch, actor=technician)

    text = text_of(client.get(verify_url(certificate.verification_code)))

    assert "Pekka" not in text
    assert "yksityishenkilö" in text


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: "-".join(code[start : start + 4] for start in range(0, 16, 4)),
        lambda code: f"{code[:8].lower()} {code[8:]}",
    ],
    ids=["lower case", "in groups", "with a space"],
)
def test_the_code_is_matched_ignoring_case_dashes_and_spaces(client, issued, typed):
    response = client.get(verify_url(typed(issued.certificate.verification_code)))
    assert response.status_code == 200
    assert issued.certificate.number in text_of(response)


def test_a_wrong_code_is_the_same_plain_404_as_an_unknown_address(client, issued):
    unknown = client.get(f"/{uuid.uuid4().hex}/")
    assert unknown.status_code == 404

    code = issued.certificate.verification_code
    wrong = "A" * 16 if code != "A" * 16 else "B" * 16
    for response in (
        client.get(verify_url(wrong)),
        client.get(verify_url(code[:-1])),  # one character short
        client.get(verify_url("not-a-code")),
    ):
        assert response.status_code == unknown.status_code
        assert [t.name for t in response.templates][:1] == ["404.html"]
        assert text_of(response) == text_of(unknown)
        assert issued.batch.reference not in response.content.decode()


def test_lookups_are_throttled_per_address(client, issued):
    code = issued.certificate.verification_code
    for _ in range(LOOKUPS_PER_WINDOW):
        assert client.get(verify_url(code)).status_code == 200

    refused = client.get(verify_url(code))
    assert refused.status_code == 429
    assert str(TOO_MANY_LOOKUPS) in text_of(refused)
    assert refused["Retry-After"] == "60"
    # Wrong codes are refused the same way: guessing does not go on at full speed.
    assert client.get(verify_url("A" * 16)).status_code == 429
    # Another address still gets through.
    other = client.get(verify_url(code), REMOTE_ADDR="192.0.2.44")
    assert other.status_code == 200


def test_behind_the_proxy_the_throttle_counts_the_real_client_address(client, issued, settings):
    settings.BEHIND_PROXY = True
    code = issued.certificate.verification_code
    for _ in range(LOOKUPS_PER_WINDOW):
        client.get(verify_url(code), HTTP_X_REAL_IP="198.51.100.7")

    assert client.get(verify_url(code), HTTP_X_REAL_IP="198.51.100.7").status_code == 429
    assert client.get(verify_url(code), HTTP_X_REAL_IP="198.51.100.8").status_code == 200


def test_the_page_shows_what_changed_since_issue_and_a_newer_certificate(
    client, issued, technician
):
    erase(issued.phone, technician)  # not validated yet: still pending
    validator = issued.laptop.erasures.first().validated_by
    services.erasure_validate(erasure=issued.phone.erasures.get(), actor=validator)

    text = text_of(client.get(verify_url(issued.certificate.verification_code)))
    assert "Tyhjennetty 2 3" in text
    assert "Odottaa tyhjennystä 1 0" in text
    assert "Erän tilanne on muuttunut todistuksen myöntämisen jälkeen" in text
    assert "Nyt erän kaikki laitteet on käsitelty" in text

    newer = services.certificate_issue(batch=issued.batch, actor=technician)
    text = text_of(client.get(verify_url(issued.certificate.verification_code)))
    assert f"Erälle on myönnetty uudempi todistus {newer.number}" in text
    newest = text_of(client.get(verify_url(newer.verification_code)))
    assert "Todistus kattaa erän kaikki laitteet, ja se on yhä ajan tasalla" in newest
    assert "uudempi todistus" not in newest


def test_anonymous_access_works_with_two_factor_required(client, issued, settings):
    settings.REQUIRE_2FA = True
    response = client.get(verify_url(issued.certificate.verification_code))
    assert response.status_code == 200
    assert client.get(reverse("devices:certificate_verify_form")).status_code == 200


def test_the_page_asks_not_to_be_indexed(client, issued):
    response = client.get(verify_url(issued.certificate.verification_code))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_the_language_switcher_works_on_the_page(client, issued):
    url = verify_url(issued.certificate.verification_code)
    switched = client.post(reverse("set_language"), {"language": "sv", "next": url})
    assert switched.status_code == 302 and switched["Location"] == url

    response = client.get(url)
    assert response.status_code == 200
    assert '<html lang="sv">' in response.content.decode()
    assert issued.certificate.number in text_of(response)


def test_a_typed_code_goes_to_its_page(client, issued):
    code = issued.certificate.verification_code
    typed = f" {code[:4].lower()}-{code[4:8]} {code[8:]} "
    response = client.get(reverse("devices:certificate_verify_form"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == verify_url(code)


def test_a_malformed_typed_code_is_shown_again_with_the_expected_shape(client):
    response = client.get(reverse("devices:certificate_verify_form"), {"code": "ABC-123"})
    assert response.status_code == 200
    text = text_of(response)
    assert "Tarkista koodi: siinä on 16 merkkiä" in text
    assert 'value="ABC-123"' in response.content.decode()


def test_the_throttle_counts_in_the_shared_database(client, issued):
    """Every server of the service counts an address's lookups together: the counts are
    rows of the database's cache table, not a process's memory."""
    code = issued.certificate.verification_code
    for _ in range(LOOKUPS_PER_WINDOW):
        client.get(verify_url(code))
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM kierratys_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("127.0.0.1" in key for key in keys)
    # A second server's cache (a new connection to the same backend) sees the same count.
    other_server = caches.create_connection("default")
    assert client.get(verify_url(code)).status_code == 429
    key = next(key.split(":", 2)[-1] for key in keys if "127.0.0.1" in key)
    assert other_server.get(key) == LOOKUPS_PER_WINDOW + 1
