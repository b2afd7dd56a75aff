"""Mails to users: the invitation and the password reset, and what happens when none can go.

A page never claims that a mail was sent when it was not. `mail_send` raises
`MailNotSent` when no mail is configured (settings.MAIL_CONFIGURED, README "Users and
e-mail") or when the server refuses or cannot be reached; the second is logged with the
error, so an administrator can see why.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.tokens import invitation_token_generator

logger = logging.getLogger(__name__)

MAIL_NOT_CONFIGURED = _(
    "Sähköpostia ei ole määritetty, joten viestiä ei voitu lähettää. "
    "Ylläpitäjä määrittää sähköpostin (EMAIL_URL)."
)
MAIL_FAILED = _(
    "Sähköpostin lähettäminen epäonnistui. Yritä myöhemmin uudelleen; "
    "jos vika jatkuu, ota yhteyttä ylläpitoon."
)
LINK_VALID_DAYS = settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)


class MailNotSent(Exception):
    """A mail the user is waiting for did not go out; `message` says why, for the page.

    Not a ValidationError: it is raised after the write it follows has been committed
    (an invited user exists even when the invitation did not go out).
    """

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def mail_send(*, template, context, to, language=None):
    """Send `<template>_subject.txt` and `_email.txt` to `to` in `language`; raises MailNotSent."""
    if not settings.MAIL_CONFIGURED:
        raise MailNotSent(MAIL_NOT_CONFIGURED)
    with translation.override(language or translation.get_language()):
        subject = "".join(render_to_string(f"{template}_subject.txt", context).splitlines())
        body = render_to_string(f"{template}_email.txt", context)
    try:
        EmailMessage(subject, body, to=[to]).send()
    except (smtplib.SMTPException, OSError) as error:
        logger.exception("Sending %s to %s failed", template, to)
        raise MailNotSent(MAIL_FAILED) from error


def invitation_link(user):
    """The absolute set-password link of the user's invitation."""
    path = reverse(
        "accounts:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def invitation_send(*, user, role_label, invited_by, language):
    """E-mail `user` the invitation with a set-password link; raises MailNotSent."""
    mail_send(
        template="accounts/invitation",
        context={
            "user": user,
            "role": role_label,
            "invited_by": invited_by.get_full_name() if invited_by else "",
            "link": invitation_link(user),
            "login_url": f"{settings.SITE_URL}{reverse('login')}",
            "valid_days": LINK_VALID_DAYS,
        },
        to=user.email,
        language=language,
    )
