"""`{% unerased_media device coverage as unerased %}`: the media a disposal form must name.

The page's media coverage (erasure_coverage.media_coverage) is passed when the view read
it already, so the form costs no query; without it the tag reads it (two queries)."""

from django import template

from devices import erasure_coverage

register = template.Library()


@register.simple_tag
def unerased_media(device, coverage=None):
    """The media of `device` not yet erased or destroyed (None for storage not recorded)."""
    if coverage is None:
        return erasure_coverage.unerased_media(device)
    if not coverage:
        return [None] if erasure_coverage.expects_media(device) else []
    return [item.medium for item in coverage if not item.erased]
