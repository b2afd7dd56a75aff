"""Erasure per storage medium: a device is erased only when every medium is, disposal
needs every medium erased or destroyed, and the technician's pages show and record it."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devices import erasure_coverage, lifecycle, services
from devices.models import Device, Erasure, EvidenceFile
from devices.models.media import MediumKind
from tests.devices.media_data import DESTROY, HDD_ERASE, S, medium_of
from tests.factories import erase, make_device, make_ready_device, refurbish
from tests.support import messages_of


def test_a_device_is_erased_only_when_both_drives_are(laptop, technician):
    erase(laptop, technician, medium=medium_of(laptop, MediumKind.NVME))
    laptop.refresh_from_db()
    assert laptop.status == S.RECEIVED
    assert erasure_coverage.unerased_media(laptop) == [medium_of(laptop, MediumKind.HDD)]

    erase(laptop, technician, medium=medium_of(laptop, MediumKind.HDD), **HDD_ERASE)
    laptop.refresh_from_db()
    assert laptop.status == S.ERASED
    assert erasure_coverage.unerased_media(laptop) == []


def test_a_failed_erasure_of_one_drive_keeps_the_device_received(laptop, technician):
    erase(laptop, technician, medium=medium_of(laptop, MediumKind.NVME))
    erase(
        laptop,
        technician,
        medium=medium_of(laptop, MediumKind.HDD),
        result=Erasure.Result.FAILED,
        failure_reason="nwipe: pass 1 verification errors",
        **HDD_ERASE,
    )
    laptop.refresh_from_db()
    assert laptop.status == S.RECEIVED
    with pytest.raises(services.ProcessingError):
        refurbish(laptop, technician)


def test_with_several_drives_the_service_needs_to_be_told_which(laptop, technician):
    with pytest.raises(services.ProcessingError) as refused:
        erase(laptop, technician)
    assert refused.value.message_dict == {"medium": [str(services.MEDIUM_NOT_CHOSEN)]}


def test_ewaste_is_refused_naming_the_unerased_drive_and_allowed_after_destroying_it(
    batch, technician
):
    device = make_device(batch, technician)
    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.device_dispose(
            device=device, actor=technician, disposal_reason=Device.DisposalReason.EWASTE
        )
    assert refused.value.code == "disposal_media"
    assert "Tyhjentämättä: NVMe SSD" in refused.value.messages[0]
    device.refresh_from_db()
    assert device.status == S.RECEIVED

    erase(device, technician, disposal_reason=Device.DisposalReason.EWASTE, **DESTROY)
    device.refresh_from_db()
    assert device.status == S.DISPOSED
    assert device.disposal_reason == Device.DisposalReason.EWASTE


def test_parts_after_one_of_two_drives_erased_is_refused_naming_the_other(laptop, technician):
    erase(laptop, technician, medium=medium_of(laptop, MediumKind.NVME))
    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.device_dispose(
            device=laptop, actor=technician, disposal_reason=Device.DisposalReason.PARTS
        )
    assert "WD Blue (WD-123)" in refused.value.messages[0]
    assert "NVMe" not in refused.value.messages[0].split("Tyhjentämättä:")[1]


def test_a_device_goes_back_to_its_donor_unerased(laptop, technician):
    lifecycle.device_dispose(
        device=laptop, actor=technician, disposal_reason=Device.DisposalReason.RETURNED
    )
    laptop.refresh_from_db()
    assert laptop.status == S.DISPOSED
    assert laptop.disposal_reason == Device.DisposalReason.RETURNED


def test_erasures_before_a_returned_loan_do_not_count(batch, technician, coach):
    device = make_ready_device(batch, technician)
    lifecycle.device_reserve(device=device, actor=coach)
    lifecycle.device_hand_over(device=device, actor=coach, loan=True)
    device = lifecycle.device_return(device=device, actor=coach)
    assert device.status == S.RECEIVED
    assert not erasure_coverage.device_is_erased(device)
    assert erasure_coverage.current_passed_erasures(device) == []
    [item] = erasure_coverage.media_coverage(device)
    assert item.erasure is None and item.latest is None
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.device_dispose(
            device=device, actor=technician, disposal_reason=Device.DisposalReason.PARTS
        )
    erase(device, technician)
    device.refresh_from_db()
    assert device.status == S.ERASED


# The dispose form


def dispose_url(device):
    return reverse("devices:device_dispose", kwargs={"code": device.inventory_code})


def test_the_dispose_form_names_the_unerased_drives_and_the_only_choice(
    technician_client, laptop, technician
):
    erase(laptop, technician, medium=medium_of(laptop, MediumKind.NVME))
    html = technician_client.get(laptop.get_absolute_url()).content.decode()
    form = html[html.index('class="dispose-form"') :]
    form = form[: form.index("</form>")]
    assert "WD Blue (WD-123)" in form
    assert "NVMe SSD" not in form
    assert "Tyhjentämättä laitteen voi vain palauttaa lahjoittajalle" in form
    assert '<option value="returned">' in form
    assert '<option value="parts" disabled>' in form
    assert '<option value="ewaste" disabled>' in form


def test_an_erased_device_may_go_any_way(technician_client, batch, technician):
    device = make_device(batch, technician)
    erase(device, technician)
    html = technician_client.get(device.get_absolute_url()).content.decode()
    assert '<option value="parts">' in html
    assert "Näitä tallennusvälineitä ei ole vielä" not in html


def test_the_refusal_of_the_lifecycle_is_shown(technician_client, laptop):
    response = technician_client.post(
        dispose_url(laptop), {"disposal_reason": Device.DisposalReason.EWASTE}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#dispose")
    [message] = messages_of(response)
    assert "ennen kuin sen jokainen tallennusväline on tyhjennetty tai tuhottu" in message
    assert "WD Blue (WD-123)" in message
    laptop.refresh_from_db()
    assert laptop.status == S.RECEIVED


# The device page's media


def test_the_device_page_lists_each_drive_with_its_state(
    technician_client, laptop, technician, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    content = b"[2026/12/01 10:00:00] nwipe: notice: Blanked device /dev/nvme0n1\n"
    evidence = EvidenceFile.objects.create(
        file=ContentFile(content, name="nwipe_log_20261201.txt"),
        original_name="nwipe_log_20261201.txt",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        kind=EvidenceFile.Kind.NWIPE_LOG,
        uploaded_by=technician,
    )
    erase(laptop, technician, medium=medium_of(laptop, MediumKind.NVME), evidence=evidence)
    erase(
        laptop,
        technician,
        medium=medium_of(laptop, MediumKind.HDD),
        result=Erasure.Result.FAILED,
        failure_reason="Varmennus löysi 12 lukukelvotonta sektoria",
        **HDD_ERASE,
    )
    html = technician_client.get(laptop.get_absolute_url()).content.decode()
    media = html[html.index('id="media"') :]
    assert "WD Blue" in media and "WD-123" in media and "500\u00a0Gt" in media
    assert "tyhjennetty" in media
    assert "puhdistus (Purge) · NVMe Sanitize" in media
    assert "tyhjennys epäonnistui" in media
    assert "Varmennus löysi 12 lukukelvotonta sektoria" in media
    assert "nwipe_log_20261201.txt" in media
    assert evidence.sha256 in media
    assert reverse("devices:evidence_download", kwargs={"pk": evidence.pk}) in media


def test_a_drive_never_erased_says_so(technician_client, laptop):
    html = technician_client.get(laptop.get_absolute_url()).content.decode()
    media = html[html.index('id="media"') :]
    assert media.count("ei vielä tyhjennetty") == 2


def test_the_device_page_reads_the_media_in_a_fixed_number_of_queries(
    technician_client, batch, technician
):
    def queries_for(count):
        device = make_device(batch, technician)
        for number in range(count):
            services.medium_add(
                device=device, actor=technician, kind=MediumKind.HDD, serial_number=f"S-{number}"
            )
        for medium in device.media.all():
            erase(device, technician, medium=medium, **HDD_ERASE)
        with CaptureQueriesContext(connection) as queries:
            assert technician_client.get(device.get_absolute_url()).status_code == 200
        return len(queries)

    assert queries_for(1) == queries_for(4)


def test_a_technician_adds_a_drive_found_in_the_device(technician_client, batch, technician):
    device = make_device(batch, technician)
    response = technician_client.post(
        reverse("devices:medium_add", kwargs={"code": device.inventory_code}),
        {
            "medium-kind": MediumKind.SSD,
            "medium-model": "Samsung 860",
            "medium-serial_number": "S3Z9NB0K",
            "medium-capacity_gb": "256",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == device.get_absolute_url() + "#media"
    added = device.media.get(kind=MediumKind.SSD)
    assert (added.model, added.serial_number, added.capacity_gb) == ("Samsung 860", "S3Z9NB0K", 256)
    assert added.history.latest().history_user == technician


def test_a_drive_listed_twice_is_refused(technician_client, laptop):
    response = technician_client.post(
        reverse("devices:medium_add", kwargs={"code": laptop.inventory_code}),
        {"medium-kind": MediumKind.HDD, "medium-serial_number": "wd-1 23"},
    )
    assert response.status_code == 302
    assert any("on jo tallennusväline" in message for message in messages_of(response))
    assert laptop.media.count() == 2


def test_a_drive_recorded_by_mistake_is_removed_but_not_one_with_an_erasure(
    technician_client, laptop, technician
):
    hdd = medium_of(laptop, MediumKind.HDD)
    nvme = medium_of(laptop, MediumKind.NVME)
    erase(laptop, technician, medium=nvme)
    html = technician_client.get(laptop.get_absolute_url()).content.decode()
    remove = lambda medium: reverse(  # noqa: E731
        "devices:medium_remove", kwargs={"code": laptop.inventory_code, "pk": medium.pk}
    )
    assert remove(hdd) in html
    assert remove(nvme) not in html  # it has an erasure: record it destroyed instead

    response = technician_client.post(remove(nvme))
    assert str(services.MEDIUM_HAS_ERASURES) in messages_of(response)
    technician_client.post(remove(hdd))
    assert list(laptop.media.all()) == [nvme]
    # The erased NVMe drive is now the only one: the device is erased.
    laptop.refresh_from_db()
    assert erasure_coverage.device_is_erased(laptop)


@pytest.mark.parametrize("user_fixture", ["coach", "donor_user"])
def test_only_technicians_change_media(client, request, laptop, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    hdd = medium_of(laptop, MediumKind.HDD)
    add = reverse("devices:medium_add", kwargs={"code": laptop.inventory_code})
    remove = reverse("devices:medium_remove", kwargs={"code": laptop.inventory_code, "pk": hdd.pk})
    assert client.post(add, {"medium-kind": MediumKind.SSD}).status_code == 403
    assert client.post(remove).status_code == 403
    assert laptop.media.count() == 2


def test_one_broken_drive_destroyed_the_laptop_goes_on_when_the_other_is_erased(laptop, technician):
    """Removed and destroyed, recorded: the HDD is shredded, the NVMe erased, the laptop reused."""
    erase(laptop, technician, medium=medium_of(laptop, MediumKind.HDD), **DESTROY)
    laptop.refresh_from_db()
    assert laptop.status == S.RECEIVED
    assert erasure_coverage.unerased_media(laptop) == [medium_of(laptop, MediumKind.NVME)]

    erase(laptop, technician, medium=medium_of(laptop, MediumKind.NVME))
    laptop.refresh_from_db()
    assert laptop.status == S.ERASED


def test_destroying_the_only_drive_still_asks_what_was_done_with_the_device(batch, technician):
    device = make_device(batch, technician)
    with pytest.raises(services.ProcessingError) as refused:
        erase(device, technician, **DESTROY)
    assert refused.value.message_dict == {
        "disposal_reason": [str(services.DESTRUCTION_NEEDS_REASON)]
    }
    device.refresh_from_db()
    assert device.status == S.RECEIVED and not device.erasures.exists()


def test_a_medium_is_updated_with_the_checks_of_its_recording(laptop, technician):
    nvme = medium_of(laptop, MediumKind.NVME)
    updated = services.medium_update(
        medium=nvme, actor=technician, serial_number="NV-1", model="Samsung 980"
    )
    assert (updated.serial_number, updated.model) == ("NV-1", "Samsung 980")
    assert updated.history.first().history_user == technician
    with pytest.raises(services.ProcessingError) as refused:
        services.medium_update(medium=nvme, actor=technician, serial_number="WD-123")
    assert "WD-123" in str(refused.value)
    nvme.refresh_from_db()
    assert nvme.serial_number == "NV-1"
