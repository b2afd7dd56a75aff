"""Finland's municipalities, the list that clients, support points and reports choose from.

Its own module, not clients/models.py, so that models.py stays under the size a
module may grow to; clients.models imports it, so it is one of the app's models.

Reference data, not domain data: the rows come from Statistics Finland's
classification in clients/data/municipalities.csv, loaded by a data migration,
and no one edits them in the application. So the model keeps no history of its
own: the file's history in the repository is the record of every change, and a
change reaches a database only through a migration.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# A client or support point whose free-text municipality (before the list) named no
# municipality: shown with the old text until someone chooses one from the list.
MUNICIPALITY_TO_CHECK = _("tarkista kunta")
MUNICIPALITY_TO_CHECK_WAS = _("tarkista kunta (kirjattu: %(text)s)")


class Municipality(models.Model):
    """A municipality of Statistics Finland's classification, by its three-digit code."""

    code = models.CharField(_("kuntanumero"), max_length=3, primary_key=True)
    name_fi = models.CharField(_("nimi suomeksi"), max_length=100, unique=True)
    name_sv = models.CharField(_("nimi ruotsiksi"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("kunta")
        verbose_name_plural = _("kunnat")
        ordering = ["name_fi"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The name in the active language; English uses the Finnish name, as Finland does."""
        return self.name_sv if (get_language() or "fi")[:2] == "sv" else self.name_fi


def label_for_municipality(municipality, legacy_text=""):
    """The municipality's name, or "tarkista kunta" with what was typed before the list."""
    if municipality is not None:
        return municipality.name
    if legacy_text:
        return MUNICIPALITY_TO_CHECK_WAS % {"text": legacy_text}
    return MUNICIPALITY_TO_CHECK


def municipality_field(related_name):
    """A record's municipality from the list: required (blank=False), null only where the
    municipality typed before the list named none; municipality_text keeps that text."""
    return models.ForeignKey(
        Municipality,
        verbose_name=_("kunta"),
        on_delete=models.PROTECT,
        related_name=related_name,
        null=True,
    )


def municipality_text_field():
    """What was typed as the municipality before the list, kept only where it named none."""
    return models.CharField(
        _("kunta ennen kuntaluetteloa"), max_length=100, blank=True, editable=False
    )
