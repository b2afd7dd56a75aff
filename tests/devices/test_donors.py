"""Donor organisations: coordinators add and edit donors (business ID checked) and see each
donor's batches, newest first with their progress, and the users who act for it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from devices import services
from devices.models import Donor
from devices.models.donors import BUSINESS_ID_ALREADY_REGISTERED, PRIVATE_DONOR_HAS_NO_BUSINESS_ID
from devices.validators import BUSINESS_ID_INVALID
from tests.factories import make_batch, make_device

LIST = reverse("devices:donor_list")
CREATE = reverse("devices:donor_create")

SCHOOL = {
    "kind": Donor.Kind.SCHOOL,
    "name": "Tampereen ammattikorkeakoulu",
    "business_id": "1015428-1",
    "contact_person": "Tiina Tietohallinto",
    "email": "it@tuni.example",
    "phone": "03 245 2111",
    "address": "Kuntokatu 3\n33520 Tampere",
    "language": "fi",
}


def _messages(error, field):
    return error.value.message_dict[field]


# --- services ------------------------------------------------------------------------------


def test_donor_create_saves_the_donor_with_its_creator_in_the_history(coordinator):
    donor = services.donor_create(actor=coordinator, **SCHOOL)
    assert Donor.objects.get(pk=donor.pk).business_id == "1015428-1"
    (record,) = donor.history.all()
    assert record.history_type == "+"
    assert record.history_user == coordinator


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"business_id": "1015428-0"}, BUSINESS_ID_INVALID),  # wrong check digit
        ({"business_id": "10154281"}, BUSINESS_ID_INVALID),  # no hyphen
        (
            {"kind": Donor.Kind.PRIVATE_PERSON, "name": "Maija Mehiläinen"},
            PRIVATE_DONOR_HAS_NO_BUSINESS_ID,
        ),
    ],
)
def test_donor_create_refuses_a_business_id_the_rules_do_not_allow(coordinator, fields, message):
    with pytest.raises(services.DonorError) as error:
        services.donor_create(actor=coordinator, **(SCHOOL | fields))
    assert _messages(error, "business_id") == [str(message)]
    assert not Donor.objects.filter(name=(SCHOOL | fields)["name"]).exists()


def test_a_business_id_another_donor_has_is_refused_naming_that_donor(coordinator, donor):
    with pytest.raises(services.DonorError) as error:
        services.donor_create(actor=coordinator, **(SCHOOL | {"business_id": donor.business_id}))
    expected = BUSINESS_ID_ALREADY_REGISTERED % {
        "business_id": donor.business_id,
        "name": donor.name,
    }
    assert _messages(error, "business_id") == [expected]


def test_a_private_person_needs_no_business_id(coordinator):
    person = {"kind": Donor.Kind.PRIVATE_PERSON, "name": "Maija Mehiläinen", "business_id": ""}
    donor = services.donor_create(actor=coordinator, **(SCHOOL | person))
    assert donor.business_id == ""


def test_donor_update_changes_the_details_with_the_editor_in_the_history(coordinator, donor):
    donor = services.donor_update(
        donor=donor, actor=coordinator, contact_person="Olli Uusi", phone="050 111 2222"
    )
    donor.refresh_from_db()
    assert (donor.contact_person, donor.phone) == ("Olli Uusi", "050 111 2222")
    record = donor.history.latest()
    assert record.history_type == "~"
    assert record.history_user == coordinator


def test_donor_update_keeps_the_donors_own_business_id(coordinator, donor):
    # The duplicate check leaves out the donor itself.
    services.donor_update(donor=donor, actor=coordinator, business_id=donor.business_id, name="X")
    donor.refresh_from_db()
    assert donor.name == "X"


def test_donor_services_change_only_the_donors_details(coordinator, donor, donor_user):
    with pytest.raises(services.DonorError):
        services.donor_update(donor=donor, actor=coordinator, users=[donor_user])
    with pytest.raises(services.DonorError):
        services.donor_create(actor=coordinator, created_at=None, **SCHOOL)


# --- pages ---------------------------------------------------------------------------------


def test_the_list_finds_donors_by_name_or_business_id(coordinator_client, donor, other_donor):
    page = coordinator_client.get(LIST).content.decode()
    assert donor.name in page and other_donor.name in page
    for query in ("ammattikorkea", "1629284"):
        found = coordinator_client.get(LIST, {"q": query})
        assert list(found.context["page"]) == [donor]
    nothing = coordinator_client.get(LIST, {"q": "ei-ketään"})
    assert not nothing.context["page"].object_list
    assert "ei-ketään" in nothing.content.decode()


def test_the_list_shows_each_donors_batches_and_users(
    coordinator_client, donor, donor_user, technician
):
    make_batch(donor, technician)
    make_batch(donor, technician, received=False)
    (row,) = coordinator_client.get(LIST, {"q": donor.name}).context["page"]
    assert (row.n_batches, row.n_users) == (2, 1)


def test_the_list_costs_the_same_queries_for_many_donors(coordinator_client, coordinator):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_client.get(LIST).status_code == 200
        return len(captured.captured_queries)

    services.donor_create(actor=coordinator, **SCHOOL)
    few = queries()
    for number in range(12):
        services.donor_create(
            actor=coordinator, kind=Donor.Kind.COMPANY, name=f"Yritys {number} Oy"
        )
    assert queries() == few


def test_a_coordinator_adds_a_donor(coordinator_client, coordinator):
    response = coordinator_client.post(CREATE, SCHOOL)
    donor = Donor.objects.get(name=SCHOOL["name"])
    assert response["Location"] == donor.get_absolute_url()
    assert donor.history.get().history_user == coordinator


def test_the_form_shows_the_business_id_rule(coordinator_client):
    response = coordinator_client.post(CREATE, SCHOOL | {"business_id": "1015428-0"})
    assert response.status_code == 200
    assert str(BUSINESS_ID_INVALID) in response.content.decode()
    assert not Donor.objects.filter(name=SCHOOL["name"]).exists()


def test_the_form_takes_a_business_id_typed_with_spaces(coordinator_client):
    coordinator_client.post(CREATE, SCHOOL | {"business_id": " 1015428 - 1 "})
    assert Donor.objects.get(name=SCHOOL["name"]).business_id == "1015428-1"


def test_a_coordinator_edits_a_donor(coordinator_client, donor):
    url = reverse("devices:donor_edit", args=[donor.pk])
    form = coordinator_client.get(url)
    assert form.status_code == 200
    assert donor.business_id in form.content.decode()
    data = {
        "kind": donor.kind,
        "name": "Häme University of Applied Sciences",
        "business_id": donor.business_id,
        "contact_person": donor.contact_person,
        "email": donor.email,
        "phone": "",
        "address": "",
        "language": "en",
    }
    response = coordinator_client.post(url, data)
    assert response["Location"] == donor.get_absolute_url()
    donor.refresh_from_db()
    assert (donor.name, donor.language) == ("Häme University of Applied Sciences", "en")


def test_the_donor_page_shows_its_batches_newest_first_with_their_progress(
    coordinator_client, donor, other_donor, technician
):
    older = make_batch(donor, technician)
    make_device(older, technician)
    make_device(older, technician)
    newer = make_batch(donor, technician, received=False)
    other = make_batch(other_donor, technician)
    response = coordinator_client.get(donor.get_absolute_url())
    rows = response.context["rows"]
    assert [batch for batch, _ in rows] == [newer, older]
    older_counts = {status: count for status, _, count in rows[1][1]}
    assert older_counts["received"] == 2
    page = response.content.decode()
    assert other.reference not in page
    assert page.index(newer.reference) < page.index(older.reference)


def test_the_donor_page_lists_its_users(coordinator_client, donor, donor_user, other_donor_user):
    page = coordinator_client.get(donor.get_absolute_url()).content.decode()
    assert donor_user.first_name in page
    assert other_donor_user.username not in page
    try:
        user_url = reverse("accounts:user_detail", kwargs={"pk": donor_user.pk})
    except NoReverseMatch:
        user_url = None
    if user_url:
        assert f'href="{user_url}"' in page


@pytest.mark.parametrize(("user", "shown"), [("coordinator", True), ("technician", False)])
def test_coordinators_find_donors_in_the_navigation(request, client, user, shown):
    client.force_login(request.getfixturevalue(user))
    assert (f'href="{LIST}"' in client.get(reverse("home")).content.decode()) is shown
