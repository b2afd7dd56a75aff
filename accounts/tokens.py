"""The invitation's set-password link: Django's password-reset token machinery.

A separate key salt keeps invitation and reset links apart (neither opens the other's
page); both last PASSWORD_RESET_TIMEOUT (three days). A token stops working once the
password is set, since the password hash is part of it.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.InvitationTokenGenerator"


invitation_token_generator = InvitationTokenGenerator()
