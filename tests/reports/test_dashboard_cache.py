"""The dashboard keeps its figures until the stored figures change: a change through any
service, a rolled-back change and a renamed donor show at once; an unchanged programme
costs a handful of queries however often the page is opened."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from devices import services as device_services
from devices.models import Donor
from kierratys import figures
from reports import dashboard_cache
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept():
    dashboard_cache.forget()
    yield
    dashboard_cache.forget()


@pytest.fixture
def batch(technician):
    donor = Donor.objects.create(name="Lahjoittaja Oy", kind=Donor.Kind.COMPANY)
    return factories.make_batch(donor, technician)


def _headline(client, text):
    """The number after `text` in the headline facts of the dashboard."""
    page = client.get("/reports/").content.decode()
    start = page.index(f"<dt>{text}</dt>")
    value = page[start:].split('<dd class="num">', 1)[1]
    return int(value.split("<", 1)[0])


def test_a_device_taken_in_shows_on_a_dashboard_opened_before(
    batch, technician, coordinator_client
):
    factories.make_device(batch, technician)
    assert _headline(coordinator_client, "Laitteita") == 1
    factories.make_device(batch, technician)
    assert _headline(coordinator_client, "Laitteita") == 2


def test_an_unchanged_dashboard_is_not_computed_again(batch, technician, coordinator_client):
    factories.make_device(batch, technician)
    with CaptureQueriesContext(connection) as first:
        coordinator_client.get("/reports/")
    with CaptureQueriesContext(connection) as again:
        assert coordinator_client.get("/reports/").status_code == 200
    # Session, user, roles, the filter's municipalities and the stamp: no figure query.
    assert len(again) <= len(first) - 8
    read_from = [query["sql"].split(" FROM ", 1)[-1] for query in again.captured_queries]
    assert not [table for table in read_from if table.startswith('"kierratys_figurecount"')]


def test_every_change_of_the_counters_gives_a_new_token(batch, technician):
    before = figures.figures_stamp()
    factories.make_device(batch, technician)
    after_intake = figures.figures_stamp()
    figures.figures_rebuild_all()
    assert len({before, after_intake, figures.figures_stamp()}) == 3


def test_a_rolled_back_change_leaves_the_token_and_the_figures(
    batch, technician, coordinator_client
):
    factories.make_device(batch, technician)
    assert _headline(coordinator_client, "Laitteita") == 1
    token = figures.figures_stamp()
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.make_device(batch, technician)
        assert figures.figures_stamp() != token
        raise RuntimeError("undo")
    assert figures.figures_stamp() == token
    assert _headline(coordinator_client, "Laitteita") == 1


def test_a_renamed_donor_shows_under_its_new_name(
    batch, technician, coordinator, coordinator_client
):
    factories.make_device(batch, technician)
    assert "Lahjoittaja Oy" in coordinator_client.get("/reports/").content.decode()
    device_services.donor_update(donor=batch.donor, actor=coordinator, name="Uusi Nimi Oy")
    page = coordinator_client.get("/reports/").content.decode()
    assert "Uusi Nimi Oy" in page and "Lahjoittaja Oy" not in page


def test_each_language_and_filter_is_kept_apart(batch, technician, coordinator_client):
    factories.make_device(batch, technician)
    finnish = coordinator_client.get("/reports/").content.decode()
    coordinator_client.cookies["django_language"] = "sv"
    swedish = coordinator_client.get("/reports/").content.decode()
    assert "<dt>Enheter</dt>" in swedish and "<dt>Enheter</dt>" not in finnish
    ranged = coordinator_client.get("/reports/?date_from=2000-01-01&date_to=2000-12-31")
    assert "Lahjoittaja Oy" not in ranged.content.decode()


def test_only_the_most_recent_few_are_kept():
    computed = []
    for n in range(dashboard_cache.KEPT + 5):
        dashboard_cache.kept(("filters", n), lambda n=n: computed.append(n) or n)
    # The oldest were dropped: asked again, they are computed again; the newest are kept.
    assert dashboard_cache.kept(("filters", 0), lambda: "again") == "again"
    assert dashboard_cache.kept(("filters", dashboard_cache.KEPT + 4), lambda: "again") == (
        dashboard_cache.KEPT + 4
    )
