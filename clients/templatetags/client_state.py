"""The badge that says where a client stands (templates/clients/_client_state_badge.html).

A device the client holds or has reserved says so before eligibility: an overdue loan
is never shown as a green "eligible".
"""

from dataclasses import dataclass

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Handover

register = template.Library()

RESERVED = _("laite varattu")
ON_LOAN = _("laite lainassa, palautus %(due)s")
LOAN_OVERDUE = _("laina myöhässä, palautus oli %(due)s")
HANDED_OVER = _("laite luovutettu")
ELIGIBLE = _("oikeutettu laitteeseen")


@dataclass
class ClientState:
    css: str
    text: str


def client_state(*, status, status_label, eligible, handover_status, handover_kind, due, today):
    """The client's state in words and its badge class, from the open handover first."""
    if handover_status == Handover.Status.RESERVED:
        return ClientState("reserved", str(RESERVED))
    if handover_status == Handover.Status.HANDED_OVER:
        if handover_kind == Handover.Kind.LOAN and due is not None:
            shown = formats.date_format(due, "SHORT_DATE_FORMAT")
            if due < today:
                return ClientState("failed", str(LOAN_OVERDUE % {"due": shown}))
            return ClientState("on_loan", str(ON_LOAN % {"due": shown}))
        return ClientState("handed_over", str(HANDED_OVER))
    if eligible:
        return ClientState("eligible", str(ELIGIBLE))
    return ClientState(status, str(status_label))


@register.inclusion_tag("clients/_client_state_badge.html")
def client_state_badge(client, eligible):
    """A list row's client is annotated by selectors.with_open_handover; on the client
    page the open handover is read here (one query)."""
    if not hasattr(client, "open_handover_status"):
        handover = (
            client.handovers.filter(status__in=Handover.OPEN_STATUSES)
            .order_by("-reserved_at")
            .first()
        )
        status = handover.status if handover else None
        kind = handover.kind if handover else None
        due = handover.due_date if handover else None
    else:
        status, kind, due = (
            client.open_handover_status,
            client.open_handover_kind,
            client.open_handover_due,
        )
    label = getattr(client, "status_label", None) or client.get_status_display()
    return {
        "state": client_state(
            status=client.status,
            status_label=label,
            eligible=eligible,
            handover_status=status,
            handover_kind=kind,
            due=due,
            today=timezone.localdate(),
        )
    }
