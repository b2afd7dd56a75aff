"""The device panel of the client page (templates/clients/_client_device.html)."""

from django import template

from clients import selectors
from clients.forms import HandoverCompleteForm, HandoverReadinessForm, HandoverReturnForm
from clients.models import Client, Handover, HandoverReadiness
from clients.readiness import readiness_missing
from clients.selectors import missing_required_milestones

register = template.Library()

# The client page shows the best few; the coach can reserve any of them.
MATCHING_SHOWN = 15


@register.simple_tag(takes_context=True)
def client_device_panel(context, client):
    """What the device panel needs: eligibility, the open handover, matches and forms."""
    current = selectors.open_handover(client)
    missing = [] if current else list(missing_required_milestones(client))
    panel = {
        "open": current,
        "missing": missing,
        "coaching": client.status == Client.Status.COACHING,
        "eligible": client.status == Client.Status.COACHING and not missing and not current,
        "large_screen": selectors.needs_large_screen(client),
        "past": list(
            client.handovers.exclude(status__in=Handover.OPEN_STATUSES)
            .select_related("device")
            .order_by("-reserved_at")
        ),
    }
    if panel["eligible"]:
        panel["matching"] = list(selectors.matching_devices(client)[:MATCHING_SHOWN])
    if current and current.status == Handover.Status.RESERVED:
        panel["complete_form"] = HandoverCompleteForm(
            auto_id=f"handover-{current.pk}-%s", coach=context.get("user")
        )
        recorded = HandoverReadiness.objects.filter(handover=current).first()
        panel["readiness"] = recorded
        panel["readiness_missing"] = readiness_missing(current)
        panel["readiness_form"] = HandoverReadinessForm(
            instance=recorded, auto_id=f"readiness-{current.pk}-%s"
        )
    if current and current.kind == Handover.Kind.LOAN:
        panel["return_form"] = HandoverReturnForm(auto_id=f"return-{current.pk}-%s")
        panel["overdue"] = selectors.is_overdue(current)
    return panel


@register.simple_tag
def overdue_loan_count(user):
    """How many loans of the user's clients are past their due date (start page)."""
    return selectors.overdue_loans(user).count()
