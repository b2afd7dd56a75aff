"""Refusals shown as Django messages, for actions posted from another page (a button on
the device or client page) that redirect back instead of showing a form again.

A form that is shown again shows the refusal on its fields: `kierratys.forms.show_refusal`.
"""

from django.contrib import messages


def messages_from_error(request, error):
    """Add each message of a `ValidationError` (a service's refusal) as an error message."""
    for message in error.messages:
        messages.error(request, message)


def messages_from_form(request, form):
    """Add each error of an invalid posted form as an error message."""
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
