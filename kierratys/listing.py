"""Shared pieces of the long list pages (devices, clients) that stay fast at national scale."""

from django.core.paginator import Paginator


class KeyFirstPaginator(Paginator):
    """Counts and skips on the ordering index by key alone, then reads the page's rows.

    With a plain OFFSET the database reads and joins (or annotates) every skipped row;
    `read_rows(keys_queryset)` turns the page's keys into full rows in one query.
    """

    def __init__(self, object_list, per_page, *, read_rows, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.read_rows = read_rows

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(self.read_rows(object_list.values("pk")), number, paginator)


def set_choice_labels(objects, model, field_names):
    """Set `<field>_label` on each object: get_FOO_display rebuilds its choices on every call."""
    labels = {
        name: {value: str(label) for value, label in model._meta.get_field(name).flatchoices}
        for name in field_names
    }
    for obj in objects:
        for name, choices in labels.items():
            value = getattr(obj, name)
            setattr(obj, f"{name}_label", choices.get(value, value))
    return objects
