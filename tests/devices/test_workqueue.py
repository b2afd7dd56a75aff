"""The technician's work queue: sections, order, query count, scanning, start page and nav."""

import pytest
from django.urls import reverse

from devices import inventory_codes, lifecycle, selectors
from devices.models import Device, Erasure
from devices.views.scanning import SCAN_UNKNOWN
from tests.factories import erase, make_batch, make_device, make_ready_device
from tests.support import messages_of

QUEUE = reverse("devices:workqueue")
SCAN = reverse("devices:workqueue_scan")


def codes(devices):
    return [device.inventory_code for device in devices]


@pytest.fixture
def queue_devices(donor, technician):
    """Devices in every queue position, created oldest first."""
    batch = make_batch(donor, technician, declared_count=10)
    first = make_device(batch, technician)
    failed = make_device(batch, technician)
    second = make_device(batch, technician)
    erased_late = make_device(batch, technician)
    erased_early = make_device(batch, technician)
    ready = make_ready_device(batch, technician)
    disposed = make_device(batch, technician)
    retried = make_device(batch, technician)

    erase(failed, technician, result=Erasure.Result.FAILED, notes="SMART-virhe")
    erase(failed, technician, result=Erasure.Result.FAILED)
    erase(erased_early, technician)
    erase(erased_late, technician)
    lifecycle.device_dispose(
        device=disposed, actor=technician, disposal_reason=Device.DisposalReason.RETURNED
    )
    # A failed attempt followed by a passed one: no longer in the failed list.
    erase(retried, technician, result=Erasure.Result.FAILED)
    erase(retried, technician)
    return {
        "first": first,
        "failed": failed,
        "second": second,
        "erased_early": erased_early,
        "erased_late": erased_late,
        "ready": ready,
        "disposed": disposed,
        "retried": retried,
    }


def test_queue_sections_hold_the_right_devices_oldest_first(queue_devices):
    d = queue_devices
    assert codes(selectors.waiting_for_erasure()) == codes([d["first"], d["second"]])
    failed = list(selectors.failed_erasures())
    assert codes(failed) == codes([d["failed"]])
    assert failed[0].failed_attempts == 2
    # Erased devices wait in the order they were erased, not in intake order.
    assert codes(selectors.waiting_for_refurbishment()) == codes(
        [d["erased_early"], d["erased_late"], d["retried"]]
    )
    assert selectors.workqueue_counts() == {
        "erasure": 2,
        "failed": 1,
        "refurbishment": 3,
        "validation": 0,
    }


def test_a_returned_loan_waits_for_erasure_again(donor, technician, coach):
    device = make_ready_device(make_batch(donor, technician), technician)
    lifecycle.device_reserve(device=device, actor=coach)
    lifecycle.device_hand_over(device=device, actor=coach, loan=True)
    lifecycle.device_return(device=device, actor=coach)
    assert codes(selectors.waiting_for_erasure()) == [device.inventory_code]
    assert selectors.workqueue_counts()["erasure"] == 1


def test_queue_page_lists_the_sections(technician_client, queue_devices):
    response = technician_client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("first", "failed", "second", "erased_early", "erased_late", "retried"):
        assert queue_devices[name].inventory_code in html
    assert queue_devices["ready"].inventory_code not in html
    assert queue_devices["disposed"].inventory_code not in html
    assert "Odottaa tyhjennystä" in html
    assert "Tyhjennys epäonnistui" in html
    assert "Odottaa kunnostusta" in html
    assert "2 epäonnistunutta" in html
    first_pos = html.index(queue_devices["first"].inventory_code)
    second_pos = html.index(queue_devices["second"].inventory_code)
    assert first_pos < second_pos
    assert (
        reverse(
            "devices:refurbishment_create", kwargs={"code": queue_devices["retried"].inventory_code}
        )
        in html
    )


def test_queue_page_makes_no_query_per_row(
    technician_client, donor, technician, django_assert_max_num_queries
):
    batch = make_batch(donor, technician, declared_count=40)
    for number in range(30):
        device = make_device(batch, technician)
        if number % 3 == 0:
            erase(device, technician)
        elif number % 3 == 1:
            erase(device, technician, result=Erasure.Result.FAILED)
    technician_client.get(QUEUE)  # warm the session and the user's role cache paths
    with django_assert_max_num_queries(10):
        response = technician_client.get(QUEUE)
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 30 + 3  # rows + one header per section


@pytest.mark.parametrize(("user_fixture", "status"), [("coordinator", 200), ("coach", 403)])
def test_queue_access_by_role(client, request, db, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(QUEUE).status_code == status


def test_donor_cannot_see_the_queue(donor_client):
    assert donor_client.get(QUEUE).status_code == 403


def test_scanning_a_received_device_opens_its_erasure_form(technician_client, queue_devices):
    code = queue_devices["first"].inventory_code
    response = technician_client.get(SCAN, {"code": f" {code.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("devices:erasure_create", kwargs={"code": code})
    # A device whose last attempt failed opens the erasure form too.
    failed = queue_devices["failed"].inventory_code
    response = technician_client.get(SCAN, {"code": failed}, follow=True)
    assert response.status_code == 200
    assert response.context["device"].inventory_code == failed
    assert "Kirjaa tyhjennys" in response.content.decode()


def test_scanning_an_erased_device_opens_its_refurbishment_form(technician_client, queue_devices):
    code = queue_devices["erased_early"].inventory_code
    response = technician_client.get(SCAN, {"code": code})
    assert response["Location"] == reverse("devices:refurbishment_create", kwargs={"code": code})


def test_scanning_a_device_with_nothing_to_do_says_so(technician_client, queue_devices):
    code = queue_devices["ready"].inventory_code
    response = technician_client.get(SCAN, {"code": code})
    assert response["Location"] == QUEUE
    assert any(
        code in message and "valmis luovutettavaksi" in message for message in messages_of(response)
    )


def test_scanning_an_invalid_or_unknown_code_gives_a_clear_message(technician_client, db):
    response = technician_client.get(SCAN, {"code": "DK1234"})
    assert response["Location"] == QUEUE
    assert "”DK1234” ei ole kelvollinen laitekoodi" in messages_of(response)[0]

    unknown = inventory_codes.make_code(999999)
    response = technician_client.get(SCAN, {"code": unknown})
    assert response["Location"] == QUEUE
    assert str(SCAN_UNKNOWN % {"code": unknown}) in messages_of(response)


def test_start_page_shows_the_queue_counts_and_nav_links_to_the_queue(
    technician_client, queue_devices
):
    response = technician_client.get(reverse("home"))
    html = response.content.decode()
    assert f'href="{QUEUE}"' in html
    assert "Työjono" in html
    assert "Odottaa tyhjennystä: <strong>2</strong>" in html
    assert "Tyhjennys epäonnistui: <strong>1</strong>" in html
    assert "Odottaa kunnostusta: <strong>3</strong>" in html


def test_coach_has_no_queue_link(coach_client):
    html = coach_client.get(reverse("home")).content.decode()
    assert f'href="{QUEUE}"' not in html
