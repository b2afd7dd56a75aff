"""The technician's processing pages: erasure form, refurbishment checklist, disposal."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from devices.models import Device, Erasure, RefurbishmentCheck
from devices.models.processing import TECHNIQUES_BY_METHOD
from devices.services import processing as services
from tests.factories import erase, make_batch, make_device, refurbish

LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def laptop(donor, technician):
    return make_device(make_batch(donor, technician), technician, serial_number="LAP-1")


@pytest.fixture
def phone(donor, technician):
    return make_device(
        make_batch(donor, technician),
        technician,
        category=Device.Category.PHONE,
        manufacturer="Apple",
        model="iPhone 11",
        serial_number="PHN-1",
        imei="490154203237518",
    )


def erasure_data(**overrides):
    end = timezone.localtime().replace(second=0, microsecond=0)
    data = {
        "method": Erasure.Method.PURGE,
        "technique": Erasure.Technique.NVME_SANITIZE,
        "tool_name": "nvme-cli",
        "tool_version": "2.8",
        "started_at": (end - datetime.timedelta(minutes=20)).strftime(LOCAL),
        "ended_at": end.strftime(LOCAL),
        "verification": Erasure.Verification.FULL,
        "result": Erasure.Result.PASSED,
        "notes": "",
        "disposal_reason": "",
    }
    data.update(overrides)
    return data


def erasure_url(device):
    return reverse("devices:erasure_create", kwargs={"code": device.inventory_code})


def shown_messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_technician_sees_the_erasure_form(technician_client, laptop):
    response = technician_client.get(erasure_url(laptop))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kirjaa tyhjennys (NIST SP 800-88)" in content
    assert 'type="datetime-local"' in content
    assert 'name="technician"' not in content
    assert "Tekijäksi kirjataan Teemu" in content


@pytest.mark.parametrize(("user_fixture", "status"), [("coach", 403), ("donor_user", 403)])
def test_other_roles_cannot_open_the_erasure_form(client, request, laptop, user_fixture, status):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(erasure_url(laptop)).status_code == status


def test_unknown_device_is_404(technician_client, db):
    url = reverse("devices:erasure_create", kwargs={"code": "DK0000000"})
    assert technician_client.get(url).status_code == 404


def test_a_passed_erasure_is_logged_with_the_logged_in_technician(
    technician_client, technician, coach, laptop
):
    response = technician_client.post(
        erasure_url(laptop), erasure_data(technician=coach.pk, notes="Levy ok")
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("devices:workqueue")
    erasure = laptop.erasures.get()
    assert erasure.technician == technician
    assert erasure.technique == Erasure.Technique.NVME_SANITIZE
    assert erasure.tool_version == "2.8"
    assert erasure.notes == "Levy ok"
    assert timezone.localtime(erasure.ended_at) - timezone.localtime(
        erasure.started_at
    ) == datetime.timedelta(minutes=20)
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.ERASED
    assert any("on nyt tyhjennetty" in message for message in shown_messages(response))


def test_a_failed_erasure_is_kept_and_the_device_stays_received(technician_client, laptop):
    response = technician_client.post(
        erasure_url(laptop),
        erasure_data(
            result=Erasure.Result.FAILED,
            failure_reason="Levy ei vastaa Sanitize-komentoon",
            notes="Levy ei vastaa",
        ),
    )
    assert response.status_code == 302
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.RECEIVED
    failed = laptop.erasures.get()
    assert failed.result == Erasure.Result.FAILED
    assert failed.failure_reason == "Levy ei vastaa Sanitize-komentoon"
    assert any("Epäonnistunut tyhjennys" in message for message in shown_messages(response))


def test_a_failed_erasure_without_a_reason_is_refused(technician_client, laptop):
    response = technician_client.post(
        erasure_url(laptop), erasure_data(result=Erasure.Result.FAILED, failure_reason="  ")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["failure_reason"] == [str(services.FAILURE_NEEDS_REASON)]
    assert not laptop.erasures.exists()


def test_destroying_the_media_disposes_the_device(technician_client, laptop):
    response = technician_client.post(
        erasure_url(laptop),
        erasure_data(
            method=Erasure.Method.DESTROY,
            technique=Erasure.Technique.PHYSICAL_DESTRUCTION,
            tool_name="Murskain",
            tool_version="1",
            disposal_reason=Device.DisposalReason.EWASTE,
        ),
    )
    assert response.status_code == 302
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.DISPOSED
    assert laptop.disposal_reason == Device.DisposalReason.EWASTE


def test_a_factory_reset_is_accepted_for_a_phone(technician_client, phone):
    data = erasure_data(
        method=Erasure.Method.CLEAR,
        technique=Erasure.Technique.FACTORY_RESET,
        tool_name="iOS",
        tool_version="17.5",
        verification=Erasure.Verification.SAMPLING,
    )
    response = technician_client.post(erasure_url(phone), data)
    assert response.status_code == 302
    phone.refresh_from_db()
    assert phone.status == Device.Status.ERASED


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"started_at": "2026-01-10T12:00", "ended_at": "2026-01-10T11:00"},
            "ended_at",
            "Päättymisaika ei voi olla ennen aloitusaikaa.",
        ),
        (
            {"ended_at": (timezone.localtime() + datetime.timedelta(days=2)).strftime(LOCAL)},
            "ended_at",
            "Päättymisaika ei voi olla tulevaisuudessa.",
        ),
        (
            {"technique": Erasure.Technique.PHYSICAL_DESTRUCTION},
            "technique",
            "Tekniikka ”fyysinen tuhoaminen” ei kuulu menetelmään ”puhdistus (Purge)”.",
        ),
        (
            {"method": Erasure.Method.DESTROY, "disposal_reason": "ewaste"},
            "technique",
            "ei kuulu menetelmään ”tuhoaminen (Destroy)”. Sopivat tekniikat: fyysinen tuhoaminen.",
        ),
        (
            {"method": Erasure.Method.CLEAR, "technique": Erasure.Technique.FACTORY_RESET},
            "technique",
            "Tehdasasetusten palautus on tyhjennystapa vain puhelimille ja tableteille",
        ),
        (
            {
                "method": Erasure.Method.DESTROY,
                "technique": Erasure.Technique.PHYSICAL_DESTRUCTION,
            },
            "disposal_reason",
            "Kerro, mitä tuhotulle laitteelle tehtiin.",
        ),
        (
            {"disposal_reason": Device.DisposalReason.PARTS},
            "disposal_reason",
            "Poiston syyn voi valita vain, kun laite tuhottiin",
        ),
        ({"tool_version": ""}, "tool_version", "Tämä kenttä vaaditaan."),
    ],
)
def test_inconsistent_erasure_input_is_refused_with_a_clear_message(
    technician_client, laptop, overrides, field, message
):
    response = technician_client.post(erasure_url(laptop), erasure_data(**overrides))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert message.split("”")[0] in response.content.decode().replace("&quot;", '"')
    assert not laptop.erasures.exists()
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.RECEIVED


def test_every_technique_belongs_to_some_method():
    covered = set().union(*TECHNIQUES_BY_METHOD.values())
    assert covered == set(Erasure.Technique)


def test_erasure_of_a_device_that_is_not_received_is_refused(technician_client, technician, laptop):
    erase(laptop, technician)
    page = technician_client.get(erasure_url(laptop))
    assert "tyhjennyksen voi kirjata vain vastaanotetulle laitteelle" in page.content.decode()
    assert "Tallenna tyhjennys" not in page.content.decode()

    response = technician_client.post(erasure_url(laptop), erasure_data())
    assert response.status_code == 200
    assert "tyhjennyksen voi kirjata vain vastaanotetulle laitteelle" in " ".join(
        response.context["form"].non_field_errors()
    )
    assert laptop.erasures.count() == 1


def test_the_form_suggests_the_tool_the_technician_used_last(
    technician_client, technician, donor, laptop
):
    other = make_device(make_batch(donor, technician), technician)
    erase(other, technician, tool_name="Blancco", tool_version="7.12")
    form = technician_client.get(erasure_url(laptop)).context["form"]
    assert form.initial["tool_name"] == "Blancco"
    assert form.initial["tool_version"] == "7.12"


# Refurbishment


def refurbishment_url(device):
    return reverse("devices:refurbishment_create", kwargs={"code": device.inventory_code})


ALL_CHECKS = {name: "on" for name in RefurbishmentCheck.CHECK_FIELDS}


def test_a_complete_checklist_makes_an_erased_device_ready(technician_client, technician, laptop):
    erase(laptop, technician)
    assert technician_client.get(refurbishment_url(laptop)).status_code == 200
    response = technician_client.post(refurbishment_url(laptop), {**ALL_CHECKS, "notes": "OK"})
    assert response.status_code == 302
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.READY
    check = laptop.refurbishment_checks.get()
    assert check.checked_by == technician and check.is_complete
    assert any("valmis luovutettavaksi" in message for message in shown_messages(response))


def test_an_incomplete_checklist_is_recorded_but_the_device_stays_erased(
    technician_client, technician, laptop
):
    erase(laptop, technician)
    checks = {**ALL_CHECKS}
    del checks["battery_ok"]
    response = technician_client.post(refurbishment_url(laptop), checks)
    assert response.status_code == 302
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.ERASED
    assert laptop.refurbishment_checks.count() == 1
    assert any("ei ole vielä" in message for message in shown_messages(response))


def test_refurbishment_without_a_passed_erasure_is_refused(technician_client, technician, laptop):
    erase(laptop, technician, result=Erasure.Result.FAILED)
    response = technician_client.post(refurbishment_url(laptop), ALL_CHECKS)
    assert response.status_code == 200
    assert "kunnostuksen voi kirjata vain tyhjennetylle laitteelle" in " ".join(
        response.context["form"].non_field_errors()
    )
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.RECEIVED
    assert not laptop.refurbishment_checks.exists()


# Disposal as beyond repair


def dispose_url(device):
    return reverse("devices:device_dispose", kwargs={"code": device.inventory_code})


def test_a_received_device_is_disposed_with_a_reason(technician_client, technician, laptop):
    # Unerased, the only way out is back to the donor (tests/devices/test_media.py).
    response = technician_client.post(
        dispose_url(laptop), {"disposal_reason": Device.DisposalReason.RETURNED}
    )
    assert response.status_code == 302
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.DISPOSED
    assert laptop.disposal_reason == Device.DisposalReason.RETURNED
    assert laptop.history.latest().history_user == technician
    assert any("palautettu lahjoittajalle" in message for message in shown_messages(response))


def test_an_erased_device_is_disposed_for_parts(technician_client, technician, laptop):
    erase(laptop, technician)
    response = technician_client.post(
        dispose_url(laptop), {"disposal_reason": Device.DisposalReason.PARTS}
    )
    assert response.status_code == 302
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.DISPOSED
    assert laptop.disposal_reason == Device.DisposalReason.PARTS
    assert any("käytetty varaosiksi" in message for message in shown_messages(response))


def test_disposal_needs_post_and_a_reason(technician_client, laptop):
    assert technician_client.get(dispose_url(laptop)).status_code == 405
    response = technician_client.post(dispose_url(laptop), {"disposal_reason": ""})
    assert response.status_code == 302
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.RECEIVED
    assert shown_messages(response)


def test_a_ready_device_cannot_be_disposed(technician_client, technician, laptop):
    erase(laptop, technician)
    refurbish(laptop, technician)
    response = technician_client.post(
        dispose_url(laptop), {"disposal_reason": Device.DisposalReason.EWASTE}
    )
    assert response.status_code == 302
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.READY
    assert any("Laitetta ei voi siirtää" in message for message in shown_messages(response))


def test_coach_cannot_dispose(coach_client, laptop):
    response = coach_client.post(dispose_url(laptop), {"disposal_reason": "ewaste"})
    assert response.status_code == 403
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.RECEIVED


# The actions partial on the device page


def render_actions(device, technician=True):
    return render_to_string(
        "devices/_device_actions.html", {"device": device, "role": {"technician": technician}}
    )


def test_device_actions_offer_the_next_step(technician, laptop):
    html = render_actions(laptop)
    assert erasure_url(laptop) in html
    assert dispose_url(laptop) in html
    erase(laptop, technician)
    laptop.refresh_from_db()
    html = render_actions(laptop)
    assert refurbishment_url(laptop) in html
    assert erasure_url(laptop) not in html
    assert render_actions(laptop, technician=False).strip() == ""


def test_device_page_shows_the_processing_actions(technician_client, laptop):
    page = technician_client.get(laptop.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert erasure_url(laptop) in html
    assert dispose_url(laptop) in html
