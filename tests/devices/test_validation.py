"""Second-person validation (NIST SP 800-88 Appendix G): with the programme setting on, an
erasure counts only once another technician has validated it."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from devices import erasure_coverage, selectors, services
from devices.models import Device, Erasure
from kierratys import roles
from tests.conftest import make_user
from tests.factories import erase, make_batch, make_device
from tests.support import messages_of

S = Device.Status


@pytest.fixture(autouse=True)
def _validation_on(settings):
    settings.ERASURE_VALIDATION_REQUIRED = True


@pytest.fixture
def second_technician(django_user_model):
    return make_user(django_user_model, "teknikko2", roles.TECHNICIAN, first_name="Tiina")


@pytest.fixture
def erased(donor, technician):
    """A laptop whose one drive the technician erased (so far unvalidated)."""
    device = make_device(make_batch(donor, technician), technician)
    erasure = erase(device, technician)
    return device, erasure


def validate_url(erasure):
    return reverse(
        "devices:erasure_validate",
        kwargs={"code": erasure.device.inventory_code, "pk": erasure.pk},
    )


def test_an_erasure_counts_only_after_another_technician_validates_it(erased, second_technician):
    device, erasure = erased
    device.refresh_from_db()
    assert device.status == S.RECEIVED
    [item] = erasure_coverage.media_coverage(device)
    assert item.awaiting_validation

    services.erasure_validate(erasure=erasure, actor=second_technician)
    device.refresh_from_db()
    assert device.status == S.ERASED
    erasure.refresh_from_db()
    assert erasure.validated_by == second_technician
    assert erasure.validated_at is not None
    assert erasure.history.latest().history_user == second_technician


def test_ones_own_erasure_is_refused_by_the_service(erased, technician):
    device, erasure = erased
    with pytest.raises(services.ProcessingError) as refused:
        services.erasure_validate(erasure=erasure, actor=technician)
    assert refused.value.messages == [str(services.VALIDATOR_IS_TECHNICIAN)]
    erasure.refresh_from_db()
    assert erasure.validated_by is None
    device.refresh_from_db()
    assert device.status == S.RECEIVED


def test_ones_own_erasure_is_refused_by_the_database(erased, technician):
    _, erasure = erased
    with pytest.raises(IntegrityError), transaction.atomic():
        Erasure.objects.filter(pk=erasure.pk).update(
            validated_by=technician, validated_at=timezone.now()
        )


def test_a_failed_erasure_cannot_be_validated(donor, technician, second_technician):
    device = make_device(make_batch(donor, technician), technician)
    failed = erase(device, technician, result=Erasure.Result.FAILED)
    with pytest.raises(services.ProcessingError):
        services.erasure_validate(erasure=failed, actor=second_technician)


def test_the_device_page_offers_validation_to_another_technician(client, erased, second_technician):
    device, erasure = erased
    client.force_login(second_technician)
    html = client.get(device.get_absolute_url()).content.decode()
    assert "Odottaa tarkastusta" in html
    assert validate_url(erasure) in html
    assert "Tarkasta tyhjennys" in html

    response = client.post(validate_url(erasure))
    assert response["Location"] == device.get_absolute_url() + "#media"
    assert any("on nyt tyhjennetty" in message for message in messages_of(response))
    device.refresh_from_db()
    assert device.status == S.ERASED


def test_the_device_page_tells_the_technician_why_not_his_own(technician_client, erased):
    device, erasure = erased
    html = technician_client.get(device.get_absolute_url()).content.decode()
    assert "Odottaa tarkastusta" in html
    assert validate_url(erasure) not in html
    assert str(services.VALIDATOR_IS_TECHNICIAN) in html

    response = technician_client.post(validate_url(erasure))
    assert messages_of(response) == [str(services.VALIDATOR_IS_TECHNICIAN)]
    erasure.refresh_from_db()
    assert erasure.validated_by is None


def test_validation_is_not_offered_when_the_setting_is_off(settings, client, erased, technician):
    settings.ERASURE_VALIDATION_REQUIRED = False
    device, erasure = erased
    client.force_login(technician)
    html = client.get(device.get_absolute_url()).content.decode()
    assert "Odottaa tarkastusta" not in html
    assert validate_url(erasure) not in html


def test_the_work_queue_lists_erasures_awaiting_validation(client, erased, second_technician):
    device, erasure = erased
    assert list(selectors.awaiting_validation()) == [erasure]
    # The drive is erased: it no longer waits for erasure, only for validation.
    assert device not in selectors.waiting_for_erasure()
    assert selectors.workqueue_counts()["validation"] == 1
    assert selectors.workqueue_counts()["erasure"] == 0

    client.force_login(second_technician)
    html = client.get(reverse("devices:workqueue")).content.decode()
    section = html[html.index("workqueue-validation") :]
    assert device.inventory_code in section
    assert "Teemu" in section

    services.erasure_validate(erasure=erasure, actor=second_technician)
    assert list(selectors.awaiting_validation()) == []
    assert selectors.workqueue_counts()["refurbishment"] == 1


def test_a_device_with_a_drive_still_to_erase_stays_in_the_erasure_queue(
    erased, technician, second_technician
):
    device, erasure = erased
    services.medium_add(device=device, actor=technician, kind="hdd", serial_number="HDD-9")
    waiting = list(selectors.waiting_for_erasure())
    assert waiting == [device]
    assert (waiting[0].erased_media, waiting[0].media_count) == (0, 2)
    services.erasure_validate(erasure=erasure, actor=second_technician)
    [row] = selectors.waiting_for_erasure()
    assert (row.erased_media, row.media_count) == (1, 2)


def test_the_queue_page_makes_no_query_per_awaiting_erasure(
    client, donor, technician, second_technician, django_assert_max_num_queries
):
    batch = make_batch(donor, technician, declared_count=10)
    for _ in range(6):
        erase(make_device(batch, technician), technician)
    client.force_login(second_technician)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("devices:workqueue"))
    assert response.content.decode().count("#media") >= 6
