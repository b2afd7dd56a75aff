from django.db import models
from django.utils.translation import gettext_lazy as _

from kierratys.figure_models import FigureContribution, FigureCount  # noqa: F401 (models)


class YearlySequence(models.Model):
    """Gap-free numbering per name and year (batch references, receipt numbers).

    Numbers are taken by `kierratys.sequences.next_number` with the row locked,
    so two people saving at once get consecutive numbers, never the same one.
    """

    name = models.CharField(_("nimi"), max_length=40)
    year = models.PositiveIntegerField(_("vuosi"))
    last_number = models.PositiveIntegerField(_("viimeisin numero"), default=0)

    class Meta:
        verbose_name = _("numerosarja")
        verbose_name_plural = _("numerosarjat")
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="unique_sequence_per_year"),
        ]

    def __str__(self):
        return f"{self.name} {self.year}: {self.last_number}"
