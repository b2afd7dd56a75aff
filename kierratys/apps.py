from django.apps import AppConfig


class KierratysConfig(AppConfig):
    name = "kierratys"
    verbose_name = "Digikierrättämö"
