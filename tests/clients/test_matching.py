"""Matching ready devices to a client: category first, then grade, then oldest intake."""

import pytest
from django.urls import reverse

from clients.selectors import matching_devices, needs_large_screen
from devices.models import Device
from tests.factories import make_batch, make_device, make_eligible_client, make_ready_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(donor, technician):
    return make_batch(donor, technician, declared_count=20)


def codes(devices):
    return [device.inventory_code for device in devices]


def test_needed_category_first_then_grade_then_oldest_intake(coach, batch, technician):
    tablet_a = make_ready_device(batch, technician, category="tablet", condition_grade="A")
    laptop_c = make_ready_device(batch, technician, condition_grade="C")
    laptop_b_old = make_ready_device(batch, technician, condition_grade="B")
    laptop_a = make_ready_device(batch, technician, condition_grade="A")
    laptop_b_new = make_ready_device(batch, technician, condition_grade="B")
    client = make_eligible_client(coach, device_need="laptop")

    matches = list(matching_devices(client))

    assert codes(matches) == codes([laptop_a, laptop_b_old, laptop_b_new, laptop_c, tablet_a])
    assert [device.fits_need for device in matches] == [1, 1, 1, 1, 0]


def test_only_ready_devices_are_offered(coach, batch, technician):
    ready = make_ready_device(batch, technician)
    make_device(batch, technician)  # received, not erased yet
    reserved_for_other = make_ready_device(batch, technician)
    from clients.services import handover_reserve

    handover_reserve(client=make_eligible_client(coach), device=reserved_for_other, actor=coach)
    client = make_eligible_client(coach)
    assert codes(matching_devices(client)) == [ready.inventory_code]


@pytest.mark.parametrize(
    ("needs", "expected"),
    [
        ("Tarvitsee ison näytön", True),
        ("heikko näkö, isot kirjaimet", True),
        ("Behöver stor skärm", True),
        ("Needs a large screen", True),
        ("Tarvitsee suuremman näytön", True),
        ("Vasenkätinen", False),
        ("Synkronointi puhelimeen", False),
        ("", False),
    ],
)
def test_large_screen_needs_are_read_from_free_text(coach, needs, expected):
    client = make_eligible_client(coach, accessibility_needs=needs)
    assert needs_large_screen(client) is expected


def test_large_screen_need_ranks_large_screens_first_within_the_category(coach, batch, technician):
    small_a = make_ready_device(batch, technician, condition_grade="A", screen_inches="13.3")
    large_b = make_ready_device(batch, technician, condition_grade="B", screen_inches="15.6")
    tablet_large = make_ready_device(batch, technician, category="tablet", screen_inches="12.9")
    plain = make_eligible_client(coach, device_need="laptop")
    sighted = make_eligible_client(coach, device_need="laptop", accessibility_needs="iso näyttö")

    assert codes(matching_devices(plain)) == codes([small_a, large_b, tablet_large])
    # The need reorders within the category; the category still comes first.
    assert codes(matching_devices(sighted)) == codes([large_b, small_a, tablet_large])


def test_client_page_shows_matches_with_reserve_buttons(coach_client, coach, batch, technician):
    phone = make_ready_device(batch, technician, category="phone", model="Galaxy A52")
    laptop = make_ready_device(batch, technician, model="EliteBook 840")
    client = make_eligible_client(coach, device_need=Device.Category.PHONE)
    page = coach_client.get(client.get_absolute_url()).content.decode()
    assert page.index(phone.inventory_code) < page.index(laptop.inventory_code)
    assert reverse("clients:handover_reserve", kwargs={"code": client.code}) in page
    assert "sopii tarpeeseen" in page
