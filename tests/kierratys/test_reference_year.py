"""References in Helsinki time: the year of ER-, LK- and AS- numbers is the year in
Europe/Helsinki, so that at 00:30 on 1 January every new reference says the new year."""

import datetime

import pytest
from django.utils import timezone

from clients import services as client_services
from clients.models import Handover
from kierratys.sequences import reference_year
from tests import factories

# 00:30 on 1 January 2027 in Helsinki (UTC+2), still 2026 in UTC.
NEW_YEAR_IN_HELSINKI = datetime.datetime(2026, 12, 31, 22, 30, tzinfo=datetime.UTC)
OLD_YEAR_IN_HELSINKI = datetime.datetime(2026, 12, 31, 21, 59, tzinfo=datetime.UTC)


def test_the_programme_keeps_helsinki_time(settings):
    assert settings.TIME_ZONE == "Europe/Helsinki"


@pytest.mark.parametrize(
    ("moment", "year"), [(NEW_YEAR_IN_HELSINKI, 2027), (OLD_YEAR_IN_HELSINKI, 2026)]
)
def test_the_reference_year_is_the_year_in_helsinki(moment, year):
    assert reference_year(moment) == year
    # Whatever time zone a request has activated.
    with timezone.override("UTC"):
        assert reference_year(moment) == year


def test_a_batch_a_receipt_and_a_client_made_after_midnight_get_the_new_year(
    monkeypatch, donor, technician, coach
):
    monkeypatch.setattr(timezone, "now", lambda: NEW_YEAR_IN_HELSINKI)
    with timezone.override("UTC"):
        batch = factories.make_batch(donor, technician)
        device = factories.make_ready_device(batch, technician)
        client = factories.make_eligible_client(coach, name="Uuno Uusivuosi")
        handover = client_services.handover_reserve(client=client, device=device, actor=coach)
        factories.prepare_for_handover(handover, coach)
        handover = client_services.handover_complete(
            handover=handover, actor=coach, kind=Handover.Kind.GIFT
        )
    assert batch.reference.startswith("ER-2027-")
    assert handover.receipt_number.startswith("LK-2027-")
    assert client.code.startswith("AS-2027-")
