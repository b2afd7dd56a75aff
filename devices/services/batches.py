"""Donation batch services: register, change or cancel until received, receive, mark processed.

A batch's donor and staff may change its declared details, and its donor or a coordinator
may cancel it, only while it is registered: once received, its devices' trail must stay."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from devices import selectors
from devices.models import BatchListItem, Device, DonationBatch
from devices.services.errors import IntakeError, full_clean_or_refuse, reason_or_refuse
from kierratys import roles
from kierratys.sequences import next_number, reference_year

BATCH_NOT_RECEIVABLE = _("Erä %(reference)s on jo vastaanotettu.")
BATCH_CANCELLED_NOT_RECEIVABLE = _("Erä %(reference)s on peruttu, joten sitä ei voi vastaanottaa.")
BATCH_NOT_PROCESSABLE = _(
    "Erää %(reference)s ei voi merkitä käsitellyksi: se ei ole vastaanotettu-tilassa."
)
BATCH_HAS_UNPROCESSED_DEVICES = _(
    "Erää %(reference)s ei voi merkitä käsitellyksi: %(count)s laitetta odottaa vielä "
    "tyhjennystä tai kunnostusta."
)
BATCH_HAS_NO_DEVICES = _("Erään %(reference)s ei ole kirjattu yhtään laitetta.")
BATCH_NOT_EDITABLE = _(
    "Erän %(reference)s tietoja voi muuttaa vain, kunnes erä on vastaanotettu: "
    "nyt sen tila on ”%(status)s”."
)
BATCH_EDIT_NOT_ALLOWED = _(
    "Erän %(reference)s tietoja voivat muuttaa vain lahjoittajan omat käyttäjät ja henkilökunta."
)
BATCH_FIELD_NOT_EDITABLE = _("Erästä voi muuttaa vain ilmoitettuja tietoja, ei kenttää %(fields)s.")
BATCH_NOT_CANCELLABLE = _(
    "Erän %(reference)s voi perua vain, kunnes erä on vastaanotettu: nyt sen tila on ”%(status)s”."
)
BATCH_CANCEL_NOT_ALLOWED = _(
    "Erän %(reference)s voivat perua vain lahjoittajan omat käyttäjät ja koordinaattori."
)
CANCEL_NEEDS_REASON = _("Kerro, miksi erä perutaan.")

# What the donor declared at registration: the only fields a batch change may touch.
BATCH_DETAIL_FIELDS = (
    "declared_count",
    "declared_kinds",
    "delivery",
    "pickup_address",
    "pickup_window",
    "wants_certificate",
    "notes",
)


class BatchChangeError(IntakeError):
    """A change or cancellation of a batch the rules refuse; the message is shown to the user."""


def batch_register(
    *,
    donor,
    actor,
    declared_count,
    declared_kinds="",
    delivery=DonationBatch.Delivery.DELIVERY,
    pickup_address="",
    pickup_window="",
    wants_certificate=True,
    notes="",
    list_rows=(),
):
    """Register a donation batch with a gap-free yearly reference (ER-2026-0042)."""
    now = timezone.now()
    with transaction.atomic():
        year = reference_year(now)
        number = next_number(name="batch", year=year)
        batch = DonationBatch(
            donor=donor,
            reference=f"ER-{year}-{number:04d}",
            registered_by=actor,
            registered_at=now,
            declared_count=declared_count,
            declared_kinds=declared_kinds,
            delivery=delivery,
            pickup_address=pickup_address,
            pickup_window=pickup_window,
            wants_certificate=wants_certificate,
            notes=notes,
        )
        full_clean_or_refuse(
            batch,
            BatchChangeError,
            exclude=["donor", "registered_by", "received_by", "cancelled_by"],
        )
        batch._history_user = actor
        batch.save()
        for row_number, row in enumerate(list_rows, start=1):
            item = BatchListItem(batch=batch, row_number=row_number, **row)
            item._history_user = actor
            item.save()
    return batch


def _acts_for_donor(user, batch):
    return selectors.donors_represented_by(user).filter(pk=batch.donor_id).exists()


def may_edit_batch(user, batch):
    """Whether `user` may change the batch's details: its donor's users and technicians."""
    return roles.is_technician(user) or _acts_for_donor(user, batch)


def may_cancel_batch(user, batch):
    """Whether `user` may cancel the batch: its donor's users and coordinators."""
    return roles.is_coordinator(user) or _acts_for_donor(user, batch)


def _status_params(batch):
    return {"reference": batch.reference, "status": batch.get_status_display()}


def batch_update(*, batch, actor, **fields):
    """Change a registered batch's declared details; BatchChangeError once received or cancelled."""
    unknown = set(fields) - set(BATCH_DETAIL_FIELDS)
    if unknown:
        raise BatchChangeError(
            BATCH_FIELD_NOT_EDITABLE, code="field", params={"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        locked = DonationBatch.objects.select_for_update().get(pk=batch.pk)
        if not may_edit_batch(actor, locked):
            raise BatchChangeError(
                BATCH_EDIT_NOT_ALLOWED, code="not_allowed", params={"reference": locked.reference}
            )
        if locked.status != DonationBatch.Status.REGISTERED:
            raise BatchChangeError(
                BATCH_NOT_EDITABLE, code="not_registered", params=_status_params(locked)
            )
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, fields[name])
        full_clean_or_refuse(
            locked,
            BatchChangeError,
            exclude=["donor", "reference", "registered_by", "received_by", "cancelled_by"],
        )
        locked._history_user = actor
        locked._change_reason = "batch updated"
        locked.save(update_fields=changed)
    return locked


def batch_cancel(*, batch, actor, reason):
    """registered -> cancelled, with a reason, by its donor's user or a coordinator."""
    reason = reason_or_refuse(
        reason, error_class=BatchChangeError, missing_message=CANCEL_NEEDS_REASON
    )
    with transaction.atomic():
        locked = DonationBatch.objects.select_for_update().get(pk=batch.pk)
        if not may_cancel_batch(actor, locked):
            raise BatchChangeError(
                BATCH_CANCEL_NOT_ALLOWED, code="not_allowed", params={"reference": locked.reference}
            )
        if locked.status != DonationBatch.Status.REGISTERED:
            raise BatchChangeError(
                BATCH_NOT_CANCELLABLE, code="not_registered", params=_status_params(locked)
            )
        locked.status = DonationBatch.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancelled_by = actor
        locked.cancel_reason = reason
        locked._history_user = actor
        locked._change_reason = f"batch cancelled: {reason}"
        locked.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    return locked


def batch_receive(*, batch, actor):
    """registered -> received; raises IntakeError when the batch was received or cancelled."""
    with transaction.atomic():
        locked = DonationBatch.objects.select_for_update().get(pk=batch.pk)
        params = {"reference": locked.reference}
        if locked.status == DonationBatch.Status.CANCELLED:
            raise IntakeError(BATCH_CANCELLED_NOT_RECEIVABLE, code="cancelled", params=params)
        if locked.status != DonationBatch.Status.REGISTERED:
            raise IntakeError(BATCH_NOT_RECEIVABLE, params=params)
        locked.status = DonationBatch.Status.RECEIVED
        locked.received_at = timezone.now()
        locked.received_by = actor
        locked._history_user = actor
        locked._change_reason = "batch received"
        locked.save(update_fields=["status", "received_at", "received_by"])
    return locked


def batch_mark_processed(*, batch, actor):
    """received -> processed once every logged device is erased and checked or disposed."""
    with transaction.atomic():
        locked = DonationBatch.objects.select_for_update().get(pk=batch.pk)
        params = {"reference": locked.reference}
        if locked.status != DonationBatch.Status.RECEIVED:
            raise IntakeError(BATCH_NOT_PROCESSABLE, params=params)
        devices = Device.objects.filter(batch=locked)
        if not devices.exists():
            raise IntakeError(BATCH_HAS_NO_DEVICES, params=params)
        waiting = devices.filter(status__in=[Device.Status.RECEIVED, Device.Status.ERASED]).count()
        if waiting:
            raise IntakeError(BATCH_HAS_UNPROCESSED_DEVICES, params={**params, "count": waiting})
        locked.status = DonationBatch.Status.PROCESSED
        locked._history_user = actor
        locked._change_reason = "batch processed"
        locked.save(update_fields=["status"])
    return locked
