"""The device page reads its batch, media and people once: the story shows a batch or a
medium from what the page has read instead of joining it into every history record, and
the people who logged, erased, validated and checked come with the story's own people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devices import erasure_coverage
from devices.models import DonationBatch, EvidenceFile, StorageMedium
from devices.timelines import device_timeline
from kierratys import roles
from tests.conftest import make_user
from tests.devices.test_device_page_cost import long_story
from tests.factories import make_batch

pytestmark = pytest.mark.django_db


def told(entries):
    """What a reader sees of each entry: its line and its recorded details."""
    return [(str(entry), [str(change) for change in entry.changes]) for entry in entries]


@pytest.fixture
def other(django_user_model):
    return make_user(django_user_model, "teknikko2", roles.TECHNICIAN, first_name="Tiina")


@pytest.fixture
def device(donor, technician, other):
    return long_story(make_batch(donor, technician), technician, other, corrections=2)


def held_by_the_page(device):
    erasures = list(device.erasures.select_related("medium", "evidence"))
    return {
        DonationBatch: [device.batch],
        StorageMedium: list(device.media.all()),
        EvidenceFile: [erasure.evidence for erasure in erasures if erasure.evidence_id],
    }


def test_the_story_is_the_same_told_from_what_the_page_holds(device):
    plain = told(device_timeline(device))
    assert any(
        f"{device.batch.reference}" in change for _line, changes in plain for change in changes
    )
    assert told(device_timeline(device, known=held_by_the_page(device))) == plain


def test_a_medium_or_batch_the_page_does_not_hold_is_read_once_and_named(device, donor, technician):
    plain = told(device_timeline(device))
    unrelated = make_batch(donor, technician)
    # The page holds some other batch and no medium of this device: the story reads the
    # device's batch in one query and its media in one, and joins neither into the history.
    with CaptureQueriesContext(connection) as looked_up:
        entries = device_timeline(device, known={DonationBatch: [unrelated]})
    assert told(entries) == plain
    sql = [q["sql"] for q in looked_up.captured_queries]
    history = [q for q in sql if "devices_historical" in q]
    assert len(history) == 3
    for table in (DonationBatch._meta.db_table, StorageMedium._meta.db_table):
        assert len([q for q in sql if f'FROM "{table}"' in q]) == 1
        assert not any(f'"{table}"' in q for q in history)


def test_the_page_people_come_with_the_story_in_its_one_query(
    device, technician, other, django_assert_num_queries
):
    erasures = list(device.erasures.select_related("medium").order_by("pk"))
    checks = list(device.refurbishment_checks.order_by("pk"))
    with CaptureQueriesContext(connection) as captured:
        device_timeline(device, also_name=[device, *erasures, *checks])
    people_queries = [q for q in captured.captured_queries if '"auth_user"' in q["sql"]]
    assert len(people_queries) == 1
    with django_assert_num_queries(0):
        logged_by = device.logged_by.get_username()
        technicians = {erasure.technician.get_username() for erasure in erasures}
        validators = {
            erasure.validated_by.get_username() for erasure in erasures if erasure.validated_by_id
        }
        checkers = {check.checked_by.get_username() for check in checks}
    assert logged_by == technician.username
    assert technicians == {technician.username}
    assert validators == {other.username}
    assert checkers == {technician.username, other.username}


def test_an_evidence_file_the_page_holds_is_not_joined(device):
    known = held_by_the_page(device)
    with CaptureQueriesContext(connection) as captured:
        device_timeline(device, known=known)
    history_of_erasures = [
        q["sql"] for q in captured.captured_queries if "devices_historicalerasure" in q["sql"]
    ]
    assert len(history_of_erasures) == 1
    assert EvidenceFile._meta.db_table not in history_of_erasures[0]
    assert '"devices_storagemedium"' not in history_of_erasures[0]


def test_the_attempts_get_their_media_from_the_page_s_one_query_of_media(device):
    erasures = list(device.erasures.select_related("evidence").order_by("pk"))
    with CaptureQueriesContext(connection) as captured:
        coverage = erasure_coverage.media_coverage(device, erasures=erasures)
    assert len(captured.captured_queries) == 1
    media = {item.medium.pk: item.medium for item in coverage}
    with CaptureQueriesContext(connection) as reading:
        named = {erasure.pk: erasure.medium for erasure in erasures}
    assert reading.captured_queries == []
    assert {pk: medium.serial_number for pk, medium in named.items()} == {
        erasure.pk: erasure.medium.serial_number
        for erasure in device.erasures.select_related("medium")
    }
    assert all(medium is media[medium.pk] for medium in named.values())
