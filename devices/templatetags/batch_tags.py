"""Start-page figures for donors and technicians (the home view stays role-agnostic)."""

from django import template

from devices import selectors

register = template.Library()

START_PAGE_ROWS = 10


@register.simple_tag(takes_context=True)
def donor_batches(context):
    """The donor user's own batches, newest first, each with its counts per lifecycle state."""
    user = context["request"].user
    batches = selectors.with_state_counts(selectors.batches_visible_to(user))[:START_PAGE_ROWS]
    return [(batch, selectors.state_counts(batch)) for batch in batches]


@register.simple_tag
def intake_summary():
    """Batches waiting for receipt and the number of devices logged today."""
    return {
        "waiting": list(selectors.batches_waiting_receipt()[:START_PAGE_ROWS]),
        "waiting_count": selectors.batches_waiting_receipt().count(),
        "logged_today": selectors.devices_logged_today(),
    }
