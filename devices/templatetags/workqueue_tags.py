"""`{% workqueue_counts as counts %}`: the technician's queue lengths for the start page."""

from django import template

from devices import selectors

register = template.Library()


@register.simple_tag
def workqueue_counts():
    return selectors.workqueue_counts()
