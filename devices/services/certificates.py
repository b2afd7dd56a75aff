"""Issuing a batch's erasure certificate: a number, a date, the figures at issue and the
unguessable code of the public verification page."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from devices.certificate_rows import certificate_rows
from devices.models import DonationBatch, ErasureCertificate
from devices.models.certificates import new_verification_code
from kierratys.sequences import next_number, reference_year

CERTIFICATE_SEQUENCE = "erasure_certificate"
# 80 random bits: a clash is a once-in-the-universe event, but a unique index may still say no.
CODE_ATTEMPTS = 5


def certificate_number(year, number):
    """TT-2026-00012: the yearly sequence, as batch references are made (ER-2026-0042)."""
    return f"TT-{year}-{number:05d}"


def certificate_issue(*, batch, actor):
    """The batch's certificate for its figures now: the latest one when they have not changed
    since, otherwise a new one with the next number and a new verification code.

    The returned certificate carries the rows it was counted from (`certificate.rows`), so a
    PDF printed from it shows exactly the figures the verification page gives for it."""
    with transaction.atomic():
        locked = DonationBatch.objects.select_for_update().get(pk=batch.pk)
        rows = certificate_rows(locked)
        counts = rows.counts
        latest = locked.erasure_certificates.order_by("-issued_at", "-pk").first()
        if latest is not None and all(
            getattr(latest, name) == value for name, value in counts.items()
        ):
            certificate = latest
        else:
            certificate = _create(locked, actor, counts)
    certificate.rows = rows
    return certificate


def _create(batch, actor, counts):
    now = timezone.now()
    year = reference_year(now)
    number = certificate_number(year, next_number(name=CERTIFICATE_SEQUENCE, year=year))
    for _attempt in range(CODE_ATTEMPTS - 1):
        try:
            with transaction.atomic():
                return _save(batch, actor, counts, number=number, now=now)
        except IntegrityError:
            pass  # the verification code was taken: draw another
    with transaction.atomic():
        return _save(batch, actor, counts, number=number, now=now)


def _save(batch, actor, counts, *, number, now):
    certificate = ErasureCertificate(
        number=number,
        batch=batch,
        verification_code=new_verification_code(),
        issued_at=now,
        issued_by=actor,
        **counts,
    )
    certificate._history_user = actor
    certificate._change_reason = "certificate issued"
    certificate.save()
    return certificate
