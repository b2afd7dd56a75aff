"""The device lifecycle: the only code that writes `Device.status`.

Every transition runs in a transaction with the device row locked, checks the
rule against the locked row, saves only the fields it changes, and leaves a
history record naming the acting user. Callers get the fresh, saved device back.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from devices.models import Device, Erasure

Status = Device.Status

# The allowed moves, exactly as in the design's lifecycle diagram.
ALLOWED_TRANSITIONS = {
    Status.RECEIVED: {Status.ERASED, Status.DISPOSED},
    Status.ERASED: {Status.READY, Status.DISPOSED},
    Status.READY: {Status.RESERVED},
    Status.RESERVED: {Status.READY, Status.HANDED_OVER, Status.ON_LOAN},
    Status.HANDED_OVER: set(),
    Status.ON_LOAN: {Status.RECEIVED},
    Status.DISPOSED: set(),
}

# Reaching these states needs a passed erasure on record since the device last
# came (back) in: no device reaches a person with someone else's data on it.
NEEDS_PASSED_ERASURE = {Status.ERASED, Status.READY, Status.RESERVED}

# What a technician does to a device, and the state in which each record is made:
# an erasure moves a received device on, a refurbishment check an erased one.
ERASURE = "erasure"
REFURBISHMENT = "refurbishment"
DISPOSAL = "disposal"
RECORDED_IN = {ERASURE: Status.RECEIVED, REFURBISHMENT: Status.ERASED}

TRANSITION_REFUSED = _("Laitetta ei voi siirtää tilasta ”%(from)s” tilaan ”%(to)s”.")
ERASURE_MISSING = _(
    "Laitteelle ei ole kirjattu onnistunutta tietojen tyhjennystä, joten sitä ei voi siirtää "
    "tilaan ”%(to)s”."
)
DISPOSAL_REASON_MISSING = _("Kerro poiston syy.")


class TransitionError(ValidationError):
    """A lifecycle move that the rules do not allow; the message is shown to the user."""


def allowed_moves(device):
    """The statuses `device` may move to next (the erasure rule is checked on the move)."""
    return frozenset(ALLOWED_TRANSITIONS[Status(device.status)])


def allowed_actions(device):
    """What may be recorded or done to `device` now: ERASURE, REFURBISHMENT, DISPOSAL."""
    actions = {action for action, status in RECORDED_IN.items() if device.status == status}
    if Status.DISPOSED in allowed_moves(device):
        actions.add(DISPOSAL)
    return frozenset(actions)


def erasures_since_received(device, received_at):
    """The erasure attempts that count: those recorded since the device last entered `received`.

    `device` and `received_at` may be OuterRefs, for a subquery per device row."""
    return Erasure.objects.filter(device=device, recorded_at__gte=received_at)


def current_passed_erasure(device, *, as_of=None):
    """The passed erasure recorded since the device last (re-)entered `received`, or None.

    With `as_of` (a reservation time), the one that counted then: the latest passed
    erasure recorded before it. A device is reserved only with a current passed
    erasure, so a receipt reprinted after the loan came back still names the
    erasure that preceded its handover.
    """
    if as_of is None:
        erasures = erasures_since_received(device, device.received_at)
    else:
        erasures = Erasure.objects.filter(device=device, recorded_at__lte=as_of)
    return erasures.filter(result=Erasure.Result.PASSED).order_by("-recorded_at").first()


def has_current_passed_erasure(device):
    return current_passed_erasure(device) is not None


def device_transition(*, device, to_status, actor, reason, disposal_reason=""):
    """Move a device to `to_status` under the row lock; raises TransitionError if not allowed."""
    with transaction.atomic():
        locked = Device.objects.select_for_update().get(pk=device.pk)
        from_status = Status(locked.status)
        if to_status not in ALLOWED_TRANSITIONS[from_status]:
            raise TransitionError(
                TRANSITION_REFUSED,
                code="transition",
                params={"from": from_status.label, "to": Status(to_status).label},
            )
        if to_status in NEEDS_PASSED_ERASURE and not has_current_passed_erasure(locked):
            raise TransitionError(
                ERASURE_MISSING, code="erasure_missing", params={"to": Status(to_status).label}
            )
        if to_status == Status.DISPOSED and not disposal_reason:
            raise TransitionError(DISPOSAL_REASON_MISSING, code="disposal_reason")

        locked.status = to_status
        locked.status_changed_at = timezone.now()
        locked.disposal_reason = disposal_reason if to_status == Status.DISPOSED else ""
        if to_status == Status.RECEIVED:
            locked.received_at = locked.status_changed_at
        locked._status_write_allowed = True
        locked._change_reason = reason
        locked._history_user = actor
        locked.save(update_fields=["status", "status_changed_at", "received_at", "disposal_reason"])
    return locked


def device_mark_erased(*, device, actor):
    """received -> erased; requires a passed erasure on record."""
    return device_transition(
        device=device, to_status=Status.ERASED, actor=actor, reason="erasure passed"
    )


def device_mark_ready(*, device, actor):
    """erased -> ready once the refurbishment check is complete."""
    return device_transition(
        device=device, to_status=Status.READY, actor=actor, reason="refurbishment complete"
    )


def device_reserve(*, device, actor):
    """ready -> reserved; a second reservation of the same device raises TransitionError."""
    return device_transition(
        device=device, to_status=Status.RESERVED, actor=actor, reason="reserved"
    )


def device_release(*, device, actor):
    """reserved -> ready when a reservation is cancelled."""
    return device_transition(
        device=device, to_status=Status.READY, actor=actor, reason="reservation cancelled"
    )


def device_hand_over(*, device, actor, loan):
    """reserved -> handed_over (gift) or on_loan (loan)."""
    to_status = Status.ON_LOAN if loan else Status.HANDED_OVER
    return device_transition(
        device=device, to_status=to_status, actor=actor, reason="loan" if loan else "gift"
    )


def device_return(*, device, actor):
    """on_loan -> received: a returned loan is erased again before anyone else gets it."""
    return device_transition(
        device=device, to_status=Status.RECEIVED, actor=actor, reason="loan returned"
    )


def device_dispose(*, device, actor, disposal_reason):
    """received/erased -> disposed, with how (e-waste, parts, returned to donor)."""
    return device_transition(
        device=device,
        to_status=Status.DISPOSED,
        actor=actor,
        reason=f"disposed: {disposal_reason}",
        disposal_reason=disposal_reason,
    )
