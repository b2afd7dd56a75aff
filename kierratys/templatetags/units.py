"""Units shown with a number, in the page's language: 16 Gt in Finnish, 16 GB in Swedish
and English (issue 16: "16 Gt RAM" in the English UI).

The unit's symbol is standard in each language, not a phrase to translate, so it is
chosen here rather than left to a translator's catalogue.
"""

from django import template
from django.utils.translation import get_language

register = template.Library()

GIGABYTE = {"fi": "Gt"}  # gigatavu; sv and en (and any other) write GB
GIGABYTE_ELSEWHERE = "GB"


@register.filter
def gigabytes(size):
    """`16` -> "16 Gt" (fi) / "16 GB" (sv, en), with a no-break space; "" for no size."""
    if size in (None, ""):
        return ""
    unit = GIGABYTE.get((get_language() or "fi")[:2], GIGABYTE_ELSEWHERE)
    return f"{size}\u00a0{unit}"
