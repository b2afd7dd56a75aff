"""`{% device_actions device as actions %}`: what the lifecycle lets be done to a device now.

Templates ask this instead of comparing status strings: `{% if actions.erasure %}`."""

from django import template

from devices import lifecycle

register = template.Library()


@register.simple_tag
def device_actions(device):
    """{action: True} for every action lifecycle.allowed_actions(device) allows."""
    return dict.fromkeys(lifecycle.allowed_actions(device), True)
