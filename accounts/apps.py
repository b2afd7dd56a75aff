from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _

from accounts.two_factor_session import note_enrolment_at_login


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Käyttäjät")

    def ready(self):
        # Two-factor login: note at every login whether the user must give a code.
        user_logged_in.connect(note_enrolment_at_login, dispatch_uid="two_factor_enrolment")
