"""`{{ entries|timeline_html }}`: a kierratys.timeline story as HTML (templates/_timeline.html)."""

from django import template

from kierratys import timeline

register = template.Library()


@register.filter
def timeline_html(entries):
    """The entries of timeline_for(...) as <ol class="timeline">, every value escaped."""
    return timeline.timeline_html(entries)
