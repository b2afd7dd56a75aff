"""Issuing a batch's erasure certificate: numbers, codes, the figures at issue, reuse."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from devices import lifecycle, services
from devices.models import Device, ErasureCertificate, StorageMedium
from devices.models.certificates import VERIFICATION_CODE_ALPHABET
from devices.services import certificates
from kierratys.sequences import reference_year
from tests.devices.certificate_data import second_technician, three_device_batch
from tests.factories import erase, make_batch, make_device, make_ready_device


def counts(certificate):
    return (
        certificate.device_count,
        certificate.erased_count,
        certificate.pending_count,
        certificate.disposed_count,
    )


def test_first_certificate_gets_the_years_first_number_a_code_and_the_figures(
    donor, technician, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    data = three_device_batch(donor, technician)

    certificate = services.certificate_issue(batch=data.batch, actor=technician)

    assert certificate.number == f"TT-{reference_year()}-00001"
    assert counts(certificate) == (3, 1, 1, 1)
    assert certificate.is_partial
    assert len(certificate.verification_code) == 16
    assert set(certificate.verification_code) <= set(VERIFICATION_CODE_ALPHABET)
    assert certificate.issued_by == technician
    (record,) = certificate.history.all()
    assert record.history_user == technician


def test_unchanged_figures_reuse_the_latest_certificate(donor, technician, coordinator):
    batch = make_batch(donor, technician)
    erase(make_device(batch, technician), technician)

    first = services.certificate_issue(batch=batch, actor=technician)
    again = services.certificate_issue(batch=batch, actor=coordinator)

    assert again.pk == first.pk
    assert again.verification_code == first.verification_code
    assert ErasureCertificate.objects.filter(batch=batch).count() == 1


def test_changed_figures_get_a_new_number_and_code_and_keep_the_old_certificate(donor, technician):
    batch = make_batch(donor, technician)
    erase(make_device(batch, technician), technician)
    waiting = make_device(batch, technician)
    first = services.certificate_issue(batch=batch, actor=technician)

    erase(waiting, technician)
    second = services.certificate_issue(batch=batch, actor=technician)

    assert second.pk != first.pk
    assert second.number == f"TT-{reference_year()}-00002"
    assert second.verification_code != first.verification_code
    assert counts(first) == (2, 1, 1, 0)
    assert counts(second) == (2, 2, 0, 0)
    assert not second.is_partial
    assert ErasureCertificate.objects.filter(batch=batch).count() == 2


def test_numbers_run_across_batches(donor, technician):
    numbers = [
        services.certificate_issue(batch=make_batch(donor, technician), actor=technician).number
        for _ in range(3)
    ]
    year = reference_year()
    assert numbers == [f"TT-{year}-00001", f"TT-{year}-00002", f"TT-{year}-00003"]


def test_a_device_counts_as_erased_only_when_every_medium_is(donor, technician):
    batch = make_batch(donor, technician)
    laptop = make_device(batch, technician, storage_type=Device.StorageType.HDD)
    second = services.medium_add(
        device=laptop, actor=technician, kind=StorageMedium.Kind.NVME, serial_number="NV-2"
    )
    erase(laptop, technician, medium=laptop.media.exclude(pk=second.pk).get())

    assert counts(services.certificate_issue(batch=batch, actor=technician)) == (1, 0, 1, 0)
    erase(laptop, technician, medium=second)
    assert counts(services.certificate_issue(batch=batch, actor=technician)) == (1, 1, 0, 0)


def test_devices_past_erased_count_as_erased_and_a_returned_loan_keeps_its_erasure(
    donor, technician
):
    batch = make_batch(donor, technician)
    make_ready_device(batch, technician)
    lent = make_ready_device(batch, technician)
    lifecycle.device_reserve(device=lent, actor=technician)
    lifecycle.device_hand_over(device=lent, actor=technician, loan=True)
    lifecycle.device_return(device=lent, actor=technician)  # back in `received`

    # The donor's data went with the first erasure: the loan's return does not undo it.
    assert counts(services.certificate_issue(batch=batch, actor=technician)) == (2, 2, 0, 0)


def test_disposed_devices_count_as_disposed_whether_erased_or_not(donor, technician):
    batch = make_batch(donor, technician)
    returned = make_device(batch, technician)
    lifecycle.device_dispose(
        device=returned, actor=technician, disposal_reason=Device.DisposalReason.RETURNED
    )
    for_parts = make_device(batch, technician)
    erase(for_parts, technician)
    lifecycle.device_dispose(
        device=for_parts, actor=technician, disposal_reason=Device.DisposalReason.PARTS
    )
    make_device(batch, technician)

    assert counts(services.certificate_issue(batch=batch, actor=technician)) == (3, 0, 1, 2)


def test_with_validation_required_an_unvalidated_erasure_leaves_the_device_pending(
    donor, technician, django_user_model, settings
):
    settings.ERASURE_VALIDATION_REQUIRED = True
    batch = make_batch(donor, technician)
    erasure = erase(make_device(batch, technician), technician)

    assert counts(services.certificate_issue(batch=batch, actor=technician)) == (1, 0, 1, 0)
    services.erasure_validate(erasure=erasure, actor=second_technician(django_user_model))
    assert counts(services.certificate_issue(batch=batch, actor=technician)) == (1, 1, 0, 0)


def test_a_clashing_verification_code_is_drawn_again(donor, technician, monkeypatch):
    taken = services.certificate_issue(batch=make_batch(donor, technician), actor=technician)
    codes = iter([taken.verification_code, "QQQQRRRRSSSSTTTT"])
    monkeypatch.setattr(certificates, "new_verification_code", lambda: next(codes))

    certificate = services.certificate_issue(batch=make_batch(donor, technician), actor=technician)

    assert certificate.verification_code == "QQQQRRRRSSSSTTTT"
    assert ErasureCertificate.objects.count() == 2


def _issue_queries(donor, technician, device_count):
    batch = make_batch(donor, technician, declared_count=device_count)
    for number in range(device_count):
        device = make_device(batch, technician)
        if number % 2:
            erase(device, technician)
    with CaptureQueriesContext(connection) as queries:
        services.certificate_issue(batch=batch, actor=technician)
    return len(queries)


def test_issuing_takes_as_many_queries_for_20_devices_as_for_2(donor, technician):
    _issue_queries(donor, technician, 1)  # the year's sequence row now exists for both
    assert _issue_queries(donor, technician, 2) == _issue_queries(donor, technician, 20)


@pytest.mark.parametrize("user_fixture", ["donor_user", "technician"])
def test_downloading_the_certificate_issues_it_as_the_downloader(
    client, request, donor, technician, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    batch = make_batch(donor, technician)
    erase(make_device(batch, technician), technician)
    url = reverse("devices:batch_certificate", kwargs={"reference": batch.reference})

    first = client.get(url)
    second = client.get(url)

    certificate = ErasureCertificate.objects.get(batch=batch)  # the second download reused it
    assert certificate.issued_by == user
    for response in (first, second):
        assert response.status_code == 200
        assert certificate.number in response["Content-Disposition"]
