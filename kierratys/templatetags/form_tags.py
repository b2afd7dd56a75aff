"""Template helpers of the shared form partials (templates/_form_fields.html, _error_summary.html).

A widget is described by its help text and its errors (WCAG 3.3.1, 1.3.1): the ids given
here are the ones the partial renders, `<auto_id>_helptext` (the id Django 5.2 itself points
aria-describedby at) and `<auto_id>_error`. The page title says a form failed when any form
or formset in the page's context holds errors (see `form_error_title_prefix`)."""

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.translation import gettext_lazy as _

register = template.Library()

TITLE_ERROR_PREFIX = _("Virhe: ")


def _ids(field):
    ids = []
    if field.auto_id and field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.auto_id and field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.filter
def description_ids(field):
    """The ids of the elements describing the field: its help text and its error list."""
    return _ids(field)


@register.filter
def described_widget(field):
    """The field's widget with aria-describedby naming its help text and errors (if any)."""
    ids = _ids(field)
    if not ids or field.use_fieldset:
        return field.as_widget()
    return field.as_widget(attrs={"aria-describedby": ids})


@register.filter
def summary_target(field):
    """The id a link of the error summary points to: the first input of a group of choices."""
    if field.use_fieldset:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


def _has_errors(value):
    # type() rather than isinstance(): a lazy context value (the user, the CSRF token) is not
    # evaluated just to be checked.
    kind = type(value)
    if issubclass(kind, BaseForm):
        return value.is_bound and bool(value.errors)
    if issubclass(kind, BaseFormSet):
        return value.is_bound and value.total_error_count() > 0
    return False


@register.simple_tag(takes_context=True)
def form_error_title_prefix(context):
    """'Virhe: ' when a form shown on the page has errors (for the start of <title>)."""
    if any(_has_errors(value) for value in context.flatten().values()):
        return TITLE_ERROR_PREFIX
    return ""


@register.filter
def any_required(fields):
    """Whether any of these bound fields is required (the "*" note is shown then)."""
    return any(is_required(field) for field in fields)


@register.filter
def is_required(field):
    """Required by the form, or marked required on the widget where a service holds the rule."""
    return field.field.required or bool(field.field.widget.attrs.get("required"))


@register.filter
def fields_except(form, names):
    """The form's visible fields but those named (comma-separated): a form shown in parts."""
    left_out = set(names.split(","))
    return [field for field in form.visible_fields() if field.name not in left_out]


@register.filter
def fields_named(form, names):
    """The form's bound fields named (comma-separated), in that order."""
    return [form[name] for name in names.split(",")]
