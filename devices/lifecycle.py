"""The device lifecycle: the only code that writes `Device.status`.

Every transition runs in a transaction with the device row locked, checks the
rule against the locked row, saves only the fields it changes, and leaves a
history record naming the acting user. Callers get the fresh, saved device back.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from devices import erasure_coverage
from devices.erasure_coverage import (  # noqa: F401 - the lifecycle's public read API
    current_passed_erasure,
    current_passed_erasures,
    erasures_since_received,
)
from devices.models import Device
from kierratys import figures

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
    "Laitteen kaikille tallennusvälineille ei ole kirjattu onnistunutta tietojen tyhjennystä, "
    "joten sitä ei voi siirtää tilaan ”%(to)s”."
)
DISPOSAL_NEEDS_MEDIA_ERASED = _(
    "Laitetta ei voi poistaa (%(reason)s) ennen kuin sen jokainen tallennusväline on "
    "tyhjennetty tai tuhottu. Tyhjentämättä: %(media)s. Vain lahjoittajalle palautettavan "
    "laitteen voi poistaa tyhjentämättä."
)
MEDIUM_NOT_RECORDED = _("tallennusväline, jota ei ole vielä kirjattu")
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


def has_current_passed_erasure(device):
    """Every medium of the device erased (see devices.erasure_coverage)."""
    return erasure_coverage.device_is_erased(device)


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
        if to_status == Status.DISPOSED and disposal_reason != Device.DisposalReason.RETURNED:
            # Parts and e-waste leave the programme's hands: no medium may leave with data.
            # A device returned to its donor goes back to the data's owner (and the
            # certificate says so).
            remaining = erasure_coverage.unerased_media(locked)
            if remaining:
                raise TransitionError(
                    DISPOSAL_NEEDS_MEDIA_ERASED,
                    code="disposal_media",
                    params={
                        "reason": dict(Device.DisposalReason.choices).get(
                            disposal_reason, disposal_reason
                        ),
                        "media": ", ".join(
                            str(medium) if medium else str(MEDIUM_NOT_RECORDED)
                            for medium in remaining
                        ),
                    },
                )

        locked.status = to_status
        locked.status_changed_at = timezone.now()
        locked.disposal_reason = disposal_reason if to_status == Status.DISPOSED else ""
        if to_status == Status.RECEIVED:
            locked.received_at = locked.status_changed_at
        locked._status_write_allowed = True
        locked._change_reason = reason
        locked._history_user = actor
        locked.save(update_fields=["status", "status_changed_at", "received_at", "disposal_reason"])
        figures.figures_refresh(devices=[locked.pk])
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
