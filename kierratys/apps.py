from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.core import checks

from kierratys.checks import PDF_TAG, pdf_libraries_check
from kierratys.logout import tell_logged_out


class KierratysConfig(AppConfig):
    name = "kierratys"
    verbose_name = "Digikierrättämö"

    def ready(self):
        checks.register(pdf_libraries_check, PDF_TAG)
        user_logged_out.connect(tell_logged_out, dispatch_uid="kierratys.tell_logged_out")
