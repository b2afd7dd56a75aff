"""Client services: the client record, coaching milestones and handovers.

Handovers reserve a ready device for an eligible client, hand it over and take
a loan back. Device.status moves only through devices.lifecycle, inside the
same transaction as the Handover row, so a device and its handover never
disagree. Locks are always taken client first, then device, so two coaches
never deadlock."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clients.eligibility import eligibility_refresh, eligibility_refresh_all
from clients.handover_rules import (  # the terms of a handover; the messages tests check
    CLIENT_CANNOT_RECEIVE,  # noqa: F401
    DUE_DATE_IN_PAST,  # noqa: F401
    LOAN_NEEDS_DUE_DATE,  # noqa: F401
    NOT_RESERVED,
    HandoverError,
    handed_over_moment,
    handover_complete_check,  # noqa: F401 (the confirmation step's check)
    refuse_handover,
)
from clients.models import Client, ClientMilestone, Handover, Milestone
from clients.selectors import missing_required_milestones, open_handover
from devices import lifecycle
from devices.models import Device
from kierratys import figures
from kierratys.sequences import next_number, reference_year

MILESTONE_ALREADY_RECORDED = _("Välitavoite ”%(milestone)s” on jo kirjattu tälle asiakkaalle.")


class ClientError(ValidationError):
    """A client-record change the rules refuse; the message is shown to the user."""


def client_create(*, actor, coach, **fields):
    """Create a client with a pseudonymous code (AS-2026-0001) shown on documents."""
    with transaction.atomic():
        year = reference_year()
        client = Client(
            code=f"AS-{year}-{next_number(name='client', year=year):04d}", coach=coach, **fields
        )
        client.full_clean(exclude=["code", "coach"])
        client._history_user = actor
        client.save()
        eligibility_refresh(clients=[client])
        figures.figures_refresh(clients=[client.pk])
    client.refresh_from_db(fields=["eligible_since", "has_open_handover"])
    return client


def client_milestone_record(*, client, milestone, actor, completed_on, note=""):
    """Record a milestone the client has reached; each milestone once per client."""
    with transaction.atomic():
        Client.objects.select_for_update().get(pk=client.pk)
        if ClientMilestone.objects.filter(client=client, milestone=milestone).exists():
            raise ClientError(MILESTONE_ALREADY_RECORDED, params={"milestone": milestone.name})
        record = ClientMilestone(
            client=client,
            milestone=milestone,
            completed_on=completed_on,
            recorded_by=actor,
            note=note,
        )
        record.full_clean()
        record._history_user = actor
        record.save()
        eligibility_refresh(clients=[client])
        figures.figures_refresh(clients=[client.pk])
    return record


def client_milestone_remove(*, record, actor):
    """Remove a milestone recorded by mistake; the history keeps who removed it."""
    with transaction.atomic():
        Client.objects.select_for_update().get(pk=record.client_id)
        record._history_user = actor
        record._change_reason = "milestone removed"
        record.delete()
        eligibility_refresh(clients=[record.client_id])
        figures.figures_refresh(clients=[record.client_id])


CLIENT_SERVED_STATUS_LOCKED = _(
    "Asiakkaalle on luovutettu laite; tila muuttuu luovutuksen ja palautuksen kautta."
)
CLOSE_REFUSED_OPEN_HANDOVER = _(
    "Asiakkuutta ei voi päättää: asiakkaalla on laite %(code)s varattuna tai lainassa. Peru "
    "varaus tai kirjaa laina palautetuksi ensin."
)
CLIENT_ANONYMISED = _("Asiakkaan tiedot on anonymisoitu; tietoja ei voi enää muuttaa.")


def _close(client, *, closed_on=None):
    """Close a locked client; refused while a device is reserved for or lent to the client."""
    current = open_handover(client)
    # A gift is the client's own device: only a reservation or a loan still out stops closing.
    if current is not None and not (
        current.status == Handover.Status.HANDED_OVER and current.kind == Handover.Kind.GIFT
    ):
        raise ClientError(
            CLOSE_REFUSED_OPEN_HANDOVER,
            code="open_handover",
            params={"code": current.device.inventory_code},
        )
    client.status = Client.Status.CLOSED
    client.closed_on = closed_on or client.closed_on or timezone.localdate()


def client_update(*, client, actor, **fields):
    """Change a client's record; closing (refused with an open handover) sets the closing date.

    A served client may be closed (a coach closes early; retention closes the rest
    SERVED_CLIENT_CLOSE_MONTHS after the gift), but no one makes a client served by
    hand: only a gift handover does.
    """
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        if client.anonymised_at is not None:
            raise ClientError(CLIENT_ANONYMISED, code="anonymised")
        was = client.status
        status = fields.pop("status", was)
        closed_on = fields.pop("closed_on", None)
        served_by_hand = status == Client.Status.SERVED
        unserved = was == Client.Status.SERVED and status != Client.Status.CLOSED
        if status != was and (served_by_hand or unserved):
            raise ClientError(CLIENT_SERVED_STATUS_LOCKED, code="served_locked")
        for name, value in fields.items():
            setattr(client, name, value)
        if status == Client.Status.CLOSED:
            if was != Client.Status.CLOSED or closed_on:
                _close(client, closed_on=closed_on)
        else:
            client.status = status
            client.closed_on = None
        client.full_clean(exclude=["code"])
        client._history_user = actor
        client.save()
        eligibility_refresh(clients=[client])  # the consent date counts with no required step
        figures.figures_refresh(clients=[client.pk])
    client.refresh_from_db(fields=["eligible_since", "has_open_handover"])
    return client


def client_close(*, client, actor, closed_on=None, reason="client closed"):
    """Close a client's record (coaching or served); refused while a device is reserved or lent."""
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        if client.status == Client.Status.CLOSED:
            return client
        _close(client, closed_on=closed_on)
        client._history_user = actor
        client._change_reason = reason
        client.save(update_fields=["status", "closed_on"])
        figures.figures_refresh(clients=[client.pk])
    return client


def milestone_create(*, actor, **fields):
    """Add a step to the coaching catalogue; required active steps decide eligibility."""
    with transaction.atomic():
        milestone = Milestone(**fields)
        milestone.full_clean()
        milestone._history_user = actor
        milestone.save()
        if milestone.required and milestone.active:
            eligibility_refresh_all()
            figures.figures_refresh(every_client=True)
    return milestone


def milestone_update(*, milestone, actor, **fields):
    """Change a catalogue step; eligibility of every client follows in the same transaction."""
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        counted = milestone.required and milestone.active
        for name, value in fields.items():
            setattr(milestone, name, value)
        milestone.full_clean()
        milestone._history_user = actor
        milestone.save()
        if counted != (milestone.required and milestone.active):
            eligibility_refresh_all()
            figures.figures_refresh(every_client=True)
    return milestone


NOT_ELIGIBLE = _("Asiakkaalle ei voi vielä varata laitetta. Puuttuvat välitavoitteet: %(missing)s.")


CLIENT_NOT_IN_COACHING = _(
    "Asiakkaan tila on ”%(status)s”. Laitteen voi varata vain valmennuksessa olevalle asiakkaalle."
)


CLIENT_HAS_OPEN_HANDOVER = _(
    "Asiakkaalla on jo laite %(code)s varattuna tai lainassa. Asiakkaalla voi olla yksi laite "
    "kerrallaan."
)


DEVICE_TAKEN = _(
    "Laite %(code)s ehdittiin juuri varata toiselle asiakkaalle. Valitse toinen laite."
)


DEVICE_NOT_READY = _(
    "Laite %(code)s ei ole valmis luovutettavaksi (tila: ”%(status)s”). Valitse toinen laite."
)


NOT_ON_LOAN = _("Vain lainassa olevan laitteen voi palauttaa.")


RETURN_DATE_INVALID = _(
    "Palautuspäivä ei voi olla ennen luovutusta (%(handed_over)s) eikä tulevaisuudessa."
)


RETURN_CONDITION_MISSING = _("Kirjaa laitteen kunto palautettaessa.")


RECEIPT_SEQUENCE = "handover_receipt"


def handover_reserve(*, client, device, actor):
    """Reserve a ready device for an eligible client; refuses with HandoverError otherwise."""
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        if client.status != Client.Status.COACHING:
            raise HandoverError(
                CLIENT_NOT_IN_COACHING,
                code="client_status",
                params={"status": client.get_status_display()},
            )
        missing = list(missing_required_milestones(client))
        if missing:
            raise HandoverError(
                NOT_ELIGIBLE,
                code="not_eligible",
                params={"missing": ", ".join(m.name for m in missing)},
            )
        current = open_handover(client)
        if current is not None:
            raise HandoverError(
                CLIENT_HAS_OPEN_HANDOVER,
                code="client_has_device",
                params={"code": current.device.inventory_code},
            )
        locked = Device.objects.select_for_update().get(pk=device.pk)
        _refuse_unavailable(locked)
        try:
            with transaction.atomic():
                lifecycle.device_reserve(device=locked, actor=actor)
                handover = Handover(
                    device=locked, client=client, reserved_by=actor, reserved_at=timezone.now()
                )
                handover._history_user = actor
                handover.save()
                eligibility_refresh(clients=[client])
                figures.figures_refresh(devices=[locked.pk], clients=[client.pk])
        except IntegrityError as error:
            # one_open_handover_per_device: another open handover got there first.
            raise HandoverError(
                DEVICE_TAKEN, code="device_taken", params={"code": locked.inventory_code}
            ) from error
    return handover


def _refuse_unavailable(device):
    if device.status in (
        Device.Status.RESERVED,
        Device.Status.HANDED_OVER,
        Device.Status.ON_LOAN,
    ):
        raise HandoverError(
            DEVICE_TAKEN, code="device_taken", params={"code": device.inventory_code}
        )
    if device.status != Device.Status.READY:
        raise HandoverError(
            DEVICE_NOT_READY,
            code="device_not_ready",
            params={"code": device.inventory_code, "status": device.get_status_display()},
        )


def _locked_handover(handover):
    return (
        Handover.objects.select_for_update().select_related("device", "client").get(pk=handover.pk)
    )


def handover_cancel(*, handover, actor):
    """Cancel a reservation; the device goes back to ready."""
    with transaction.atomic():
        locked = _locked_handover(handover)
        if locked.status != Handover.Status.RESERVED:
            raise HandoverError(
                NOT_RESERVED, code="not_reserved", params={"status": locked.get_status_display()}
            )
        lifecycle.device_release(device=locked.device, actor=actor)
        locked.status = Handover.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked._history_user = actor
        locked._change_reason = "reservation cancelled"
        locked.save(update_fields=["status", "cancelled_at"])
        eligibility_refresh(clients=[locked.client_id])  # the open handover
        figures.figures_refresh(devices=[locked.device_id], clients=[locked.client_id])
    return locked


# What handover_complete writes on the handover.
COMPLETED_FIELDS = (
    *("kind", "due_date", "status", "handed_over_by", "handed_over_at", "recorded_at"),
    *("backdating_reason", "coach_phone", "receipt_number"),
)


def handover_complete(
    *,
    handover,
    actor,
    kind,
    due_date=None,
    handed_over_on=None,
    backdating_reason="",
    coach_phone="",
):
    """Hand a reserved device over as a gift or a loan (due date required) with a receipt number.

    The day may be up to BACKDATING_MAX_DAYS back with a reason (clients.handover_rules).
    """
    with transaction.atomic():
        # Client first, then handover and device: the lock order of every handover service.
        client = Client.objects.select_for_update().get(pk=handover.client_id)
        locked = _locked_handover(handover)
        now = timezone.now()
        handed_over_on = handed_over_on or timezone.localdate(now)
        refuse_handover(
            locked,
            client,
            kind=kind,
            due_date=due_date,
            handed_over_on=handed_over_on,
            backdating_reason=backdating_reason,
        )
        loan = kind == Handover.Kind.LOAN
        lifecycle.device_hand_over(device=locked.device, actor=actor, loan=loan)
        # Numbered last, inside the transaction: a refused handover uses no number.
        year = reference_year()
        number = next_number(name=RECEIPT_SEQUENCE, year=year)
        locked.kind = kind
        locked.due_date = due_date if loan else None
        locked.status = Handover.Status.HANDED_OVER
        locked.handed_over_by = actor
        locked.handed_over_at = handed_over_moment(
            handed_over_on, reserved_at=locked.reserved_at, now=now
        )
        locked.recorded_at = now
        backdated = handed_over_on != timezone.localdate(now)
        locked.backdating_reason = backdating_reason.strip() if backdated else ""
        locked.coach_phone = coach_phone.strip()
        locked.receipt_number = f"LK-{year}-{number:05d}"
        # The typed reason and phone refuse an identity code like every typed field.
        locked.full_clean()
        locked._history_user = actor
        locked._change_reason = "loan" if loan else "gift"
        locked.save(update_fields=COMPLETED_FIELDS)
        if not loan:
            client.status = Client.Status.SERVED
            client._history_user = actor
            client._change_reason = "device handed over as a gift"
            client.save(update_fields=["status"])
            locked.client = client
        eligibility_refresh(clients=[locked.client_id])  # the open handover
        figures.figures_refresh(devices=[locked.device_id], clients=[locked.client_id])
    return locked


def handover_return(*, handover, actor, returned_on, condition, note=""):
    """Take a loan back with its condition; the device returns to received to be erased again."""
    with transaction.atomic():
        locked = _locked_handover(handover)
        if locked.status != Handover.Status.HANDED_OVER or locked.kind != Handover.Kind.LOAN:
            raise HandoverError(NOT_ON_LOAN, code="not_on_loan")
        if not condition:
            # Blank is allowed on the model only for handovers not yet returned.
            raise HandoverError(RETURN_CONDITION_MISSING, code="return_condition")
        handed_over_on = timezone.localdate(locked.handed_over_at)
        if returned_on < handed_over_on or returned_on > timezone.localdate():
            raise HandoverError(
                RETURN_DATE_INVALID,
                code="returned_on",
                params={"handed_over": date_format(handed_over_on, "SHORT_DATE_FORMAT")},
            )
        locked.status = Handover.Status.RETURNED
        locked.returned_on = returned_on
        locked.return_condition = condition
        locked.return_note = note
        # Before the device moves: a refused note (identity code) changes nothing.
        locked.full_clean()
        lifecycle.device_return(device=locked.device, actor=actor)
        locked._history_user = actor
        locked._change_reason = "loan returned"
        locked.save(update_fields=["status", "returned_on", "return_condition", "return_note"])
        eligibility_refresh(clients=[locked.client_id])  # the open handover
        figures.figures_refresh(devices=[locked.device_id], clients=[locked.client_id])
    return locked
