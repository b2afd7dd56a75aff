"""The readiness checklist of a handover: this device prepared for this client.

Its own module, not clients/models.py, so that models.py stays under the size a
module may grow to; clients.models imports it, so it is one of the app's models.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.validators import validate_no_identity_code


class HandoverReadiness(models.Model):
    """What the coach prepared on a reserved device with the client, before handing it over.

    "Charger included" is needed only when the device has a charger (Device.has_charger):
    a device that came without one cannot be refused for it, and the receipt says so.
    """

    CHECK_FIELDS = (
        "language_set",
        "accessibility_adjusted",
        "updates_installed",
        "accounts_prepared",
        "previous_owner_removed",
        "charger_included",
    )

    handover = models.OneToOneField(
        "clients.Handover",
        verbose_name=_("luovutus"),
        on_delete=models.PROTECT,
        related_name="readiness",
    )
    language_set = models.BooleanField(
        _("laitteen kieli asetettu asiakkaan asiointikielelle"), default=False
    )
    accessibility_adjusted = models.BooleanField(
        _("saavutettavuusasetukset säädetty asiakkaan tarpeisiin"), default=False
    )
    updates_installed = models.BooleanField(_("päivitykset asennettu"), default=False)
    accounts_prepared = models.BooleanField(
        _("tarvittavat tilit (sähköposti, tunnistussovellus) tehty yhdessä asiakkaan kanssa"),
        default=False,
    )
    previous_owner_removed = models.BooleanField(
        _("edellisen omistajan tilit, aktivointilukko ja Etsi laite -palvelu poistettu"),
        default=False,
    )
    charger_included = models.BooleanField(_("laturi mukana"), default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("valmistelija"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("valmisteltu"))
    note = models.TextField(_("huomiot"), blank=True, validators=[validate_no_identity_code])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("luovutusvalmius")
        verbose_name_plural = _("luovutusvalmiudet")

    def __str__(self):
        return f"{self.handover} {date_format(timezone.localtime(self.checked_at))}"

    def required_fields(self):
        """The items this device needs: all, less the charger when it has none."""
        if self.handover.device.has_charger:
            return self.CHECK_FIELDS
        return tuple(name for name in self.CHECK_FIELDS if name != "charger_included")

    def missing_fields(self):
        return [name for name in self.required_fields() if not getattr(self, name)]

    @property
    def is_complete(self):
        return not self.missing_fields()

    def checklist(self):
        """(label, done, needed) for each item, in checklist order (receipt and panel)."""
        required = self.required_fields()
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name), name in required)
            for name in self.CHECK_FIELDS
        ]
