"""Form helpers shared by the apps."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def show_refusal(form, error):
    """Show a service's refusal on the form: each message on its field, the rest on top.

    The rules live in the models and services; a form only shows their messages.
    """
    if not isinstance(error, ValidationError):
        form.add_error(None, str(error))
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(
            field if field in form.fields and field != NON_FIELD_ERRORS else None, messages
        )
