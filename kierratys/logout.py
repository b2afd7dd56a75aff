"""Logging out lands on the login page, which says so (issue 16): without a word the
person at a shared office machine cannot tell a logout from a session that ran out."""

from django.contrib import messages
from django.utils.translation import gettext_lazy as _

LOGGED_OUT = _("Olet kirjautunut ulos.")


def tell_logged_out(sender, request, user, **kwargs):
    """user_logged_out receiver: a message for the next page (the login page).

    The session is flushed right after this signal; the message survives in the
    message cookie (the default fallback storage), not in the session.
    """
    if request is not None:
        messages.success(request, LOGGED_OUT, fail_silently=True)
