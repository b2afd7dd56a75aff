"""Setting a password: from the invitation's link, and a forgotten one reset by e-mail.

Django's views with the application's templates; the reset page says so when no mail
is configured or the mail did not go out, instead of claiming that it was sent. The
password change and the reset's later steps are Django's own views
(django.contrib.auth.urls) with templates in templates/registration/.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import PasswordResetConfirmView, PasswordResetView
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import MailedPasswordResetForm
from accounts.mail import MAIL_NOT_CONFIGURED, MailNotSent
from accounts.tokens import invitation_token_generator

PASSWORD_SET = _("Salasana on asetettu. Kirjaudu sisään käyttäjätunnuksellasi %(username)s.")


class PasswordReset(PasswordResetView):
    form_class = MailedPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            mail_configured=settings.MAIL_CONFIGURED,
            mail_not_configured=MAIL_NOT_CONFIGURED,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not settings.MAIL_CONFIGURED:
            # Nothing to send with: the page (which says so) again, and no form handling.
            return self.render_to_response(self.get_context_data(), status=503)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except MailNotSent as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=503)


class InvitationAccept(PasswordResetConfirmView):
    """The invitation's link: the new user sets a password, then logs in (no automatic
    login, so that a second factor, where required, is asked for at the login)."""

    token_generator = invitation_token_generator
    template_name = "accounts/invitation_accept.html"
    success_url = reverse_lazy("login")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # A user taken out of use after the invitation was sent sets no password.
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, PASSWORD_SET % {"username": form.user.get_username()})
        return response


password_reset = PasswordReset.as_view()
invitation_accept = InvitationAccept.as_view()
