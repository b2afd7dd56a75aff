"""Handover services: reserve a ready device for an eligible client, hand it over, take a loan back.

Device.status moves only through devices.lifecycle, inside the same transaction
as the Handover row, so a device and its handover never disagree. Locks are
always taken client first, then device, so two coaches never deadlock.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Handover, SupportPoint
from clients.selectors import clients_visible_to, missing_required_milestones
from devices import lifecycle
from devices.models import Device, Erasure
from kierratys.sequences import next_number

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
NOT_RESERVED = _("Luovutus on tilassa ”%(status)s”, joten sitä ei voi enää muuttaa.")
LOAN_NEEDS_DUE_DATE = _("Kirjaa lainalle palautuspäivä.")
DUE_DATE_IN_PAST = _("Palautuspäivän pitää olla tulevaisuudessa.")
NOT_ON_LOAN = _("Vain lainassa olevan laitteen voi palauttaa.")
RETURN_DATE_INVALID = _(
    "Palautuspäivä ei voi olla ennen luovutusta (%(handed_over)s) eikä tulevaisuudessa."
)

RECEIPT_SEQUENCE = "handover_receipt"

# The free-text accessibility needs ask for a large screen when they mention a big
# screen or weak sight (fi/sv/en); inflected forms ("ison näytön") match too.
LARGE_SCREEN_NEED = re.compile(
    r"\b(iso|ison|isom|suur)\w*\s+näyt|näkö|isot kirjaimet|"
    r"\b(stor|större)\w*\s+skärm|syn(svag|nedsätt)|nedsatt syn|"
    r"\b(large|larger|big|bigger)\s+screen|low vision|visual",
    re.IGNORECASE,
)
# What counts as a large screen in each category, in inches.
LARGE_SCREEN_INCHES = {
    Device.Category.LAPTOP: 15,
    Device.Category.TABLET: 10,
    Device.Category.PHONE: 6.5,
    Device.Category.DESKTOP: 22,
    Device.Category.OTHER: 15,
}


class HandoverError(ValidationError):
    """A reservation, handover or return the rules refuse; the message is shown to the user."""


def needs_large_screen(client):
    """True when the client's accessibility needs mention a large screen or weak sight."""
    return bool(LARGE_SCREEN_NEED.search(client.accessibility_needs or ""))


def matching_devices(client):
    """Ready devices for the client: needed category first, then grade (A best), oldest intake.

    Each device carries `fits_need` (its category is the client's device need)
    and `large_screen`. When the client's accessibility needs ask for a large
    screen (see LARGE_SCREEN_NEED), large screens rank first within the category.
    """
    large_screen = Q()
    for category, inches in LARGE_SCREEN_INCHES.items():
        large_screen |= Q(category=category, screen_inches__gte=inches)
    devices = Device.objects.filter(status=Device.Status.READY).annotate(
        fits_need=Case(
            When(category=client.device_need, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        large_screen=Case(
            When(large_screen, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
    )
    order = ["-fits_need"]
    if needs_large_screen(client):
        order.append("-large_screen")
    order += ["condition_grade", "logged_at", "pk"]
    return devices.order_by(*order)


def open_handover(client):
    """The client's reservation or handed-over device still out, or None."""
    return (
        Handover.objects.filter(client=client, status__in=Handover.OPEN_STATUSES)
        .select_related("device", "reserved_by", "handed_over_by")
        .first()
    )


def overdue_loans(user, *, today=None):
    """Loans past their due date for the clients the user may see, most overdue first."""
    today = today or timezone.localdate()
    return (
        Handover.objects.filter(
            status=Handover.Status.HANDED_OVER,
            kind=Handover.Kind.LOAN,
            due_date__lt=today,
            client__in=clients_visible_to(user),
        )
        .select_related("device", "client", "client__coach")
        .order_by("due_date", "receipt_number")
    )


def handovers_visible_to(user):
    """Handovers of the clients the user may see (coach: own clients, coordinator: all)."""
    return Handover.objects.filter(client__in=clients_visible_to(user))


def latest_passed_erasure(device):
    """The erasure that cleared the device before this handover."""
    return (
        Erasure.objects.filter(device=device, result=Erasure.Result.PASSED)
        .order_by("-ended_at")
        .first()
    )


def support_points_for(municipality):
    return SupportPoint.objects.filter(active=True, municipality__iexact=municipality.strip())


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
    return locked


def handover_complete(*, handover, actor, kind, due_date=None):
    """Hand a reserved device over as a gift or a loan (due date required) with a receipt number."""
    with transaction.atomic():
        locked = _locked_handover(handover)
        if locked.status != Handover.Status.RESERVED:
            raise HandoverError(
                NOT_RESERVED, code="not_reserved", params={"status": locked.get_status_display()}
            )
        loan = kind == Handover.Kind.LOAN
        today = timezone.localdate()
        if loan and due_date is None:
            raise HandoverError(LOAN_NEEDS_DUE_DATE, code="due_date")
        if loan and due_date <= today:
            raise HandoverError(DUE_DATE_IN_PAST, code="due_date")
        lifecycle.device_hand_over(device=locked.device, actor=actor, loan=loan)
        # Numbered last, inside the transaction: a refused handover uses no number.
        number = next_number(name=RECEIPT_SEQUENCE, year=today.year)
        locked.kind = kind
        locked.due_date = due_date if loan else None
        locked.status = Handover.Status.HANDED_OVER
        locked.handed_over_by = actor
        locked.handed_over_at = timezone.now()
        locked.receipt_number = f"LK-{today.year}-{number:05d}"
        locked._history_user = actor
        locked._change_reason = "loan" if loan else "gift"
        locked.save(
            update_fields=[
                "kind",
                "due_date",
                "status",
                "handed_over_by",
                "handed_over_at",
                "receipt_number",
            ]
        )
        if not loan:
            client = Client.objects.select_for_update().get(pk=locked.client_id)
            client.status = Client.Status.SERVED
            client._history_user = actor
            client._change_reason = "device handed over as a gift"
            client.save(update_fields=["status"])
            locked.client = client
    return locked


def handover_return(*, handover, actor, returned_on, condition, note=""):
    """Take a loan back; the device returns to received and must be erased again."""
    with transaction.atomic():
        locked = _locked_handover(handover)
        if locked.status != Handover.Status.HANDED_OVER or locked.kind != Handover.Kind.LOAN:
            raise HandoverError(NOT_ON_LOAN, code="not_on_loan")
        handed_over_on = timezone.localdate(locked.handed_over_at)
        if returned_on < handed_over_on or returned_on > timezone.localdate():
            raise HandoverError(
                RETURN_DATE_INVALID,
                code="returned_on",
                params={"handed_over": handed_over_on.strftime("%d.%m.%Y")},
            )
        lifecycle.device_return(device=locked.device, actor=actor)
        locked.status = Handover.Status.RETURNED
        locked.returned_on = returned_on
        locked.return_condition = condition
        locked.return_note = note
        locked._history_user = actor
        locked._change_reason = "loan returned"
        locked.save(update_fields=["status", "returned_on", "return_condition", "return_note"])
    return locked


def is_overdue(handover, today=None):
    today = today or timezone.localdate()
    return (
        handover.status == Handover.Status.HANDED_OVER
        and handover.kind == Handover.Kind.LOAN
        and handover.due_date is not None
        and handover.due_date < today
    )
