from django import template

from clients import selectors
from clients.models import Client

register = template.Library()


@register.simple_tag(takes_context=True)
def coach_summary(context):
    """Counts for the start page: own (coordinator: all) clients in coaching, eligible, waiting."""
    user = context["request"].user
    visible = selectors.clients_visible_to(user)
    eligible = selectors.eligible_clients(visible)
    return {
        "coaching": visible.filter(status=Client.Status.COACHING).count(),
        "eligible": eligible.count(),
        "waiting": eligible.filter(has_open_handover=False).count(),
    }
