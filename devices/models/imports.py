"""An uploaded device list kept between its preview and its confirmation."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from devices.models.donors import DonationBatch
from kierratys import roles

# An upload not confirmed or cancelled within this time is removed when anyone next uploads.
PENDING_IMPORT_MAX_AGE = datetime.timedelta(days=1)


class PendingImportPurpose(models.TextChoices):
    BATCH_IMPORT = "batch_import", _("teknikon laiteluettelo")
    DONOR_LIST = "donor_list", _("lahjoittajan laiteluettelo")


class PendingImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The uploader's own pending imports; for a coordinator, everyone's."""
        if roles.is_coordinator(user):
            return self
        return self.filter(user=user)

    def stale(self, now=None):
        return self.filter(created_at__lt=(now or timezone.now()) - PENDING_IMPORT_MAX_AGE)

    def fresh(self, now=None):
        """Those within a day: an older one is gone for its user even before it is removed."""
        return self.filter(created_at__gte=(now or timezone.now()) - PENDING_IMPORT_MAX_AGE)


class PendingImportManager(models.Manager.from_queryset(PendingImportQuerySet)):
    def store(self, *, user, batch, purpose, original_name, content, choices=None):
        """Keep an upload for its preview; pending imports older than a day are removed first."""
        self.stale().delete()
        return self.create(
            user=user,
            batch=batch,
            purpose=purpose,
            original_name=original_name[:255],
            content=content,
            choices=choices or {},
        )


class PendingImport(models.Model):
    """An uploaded device list waiting for its uploader to confirm the preview.

    Transient working data, not domain data: it is removed when the import is
    confirmed or cancelled, or after a day, and what it leads to (devices, list
    items) keeps its own history. So it has no HistoricalRecords: a history of it
    would only keep copies of files that were meant to be thrown away.
    """

    Purpose = PendingImportPurpose

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lähettäjä"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    batch = models.ForeignKey(
        DonationBatch,
        verbose_name=_("erä"),
        on_delete=models.CASCADE,
        related_name="pending_imports",
    )
    purpose = models.CharField(_("käyttötarkoitus"), max_length=20, choices=Purpose.choices)
    original_name = models.CharField(_("tiedoston nimi"), max_length=255)
    # The file's bytes in the database rather than in a media folder: the
    # application has no media storage to set up, back up and clean (whitenoise
    # serves only static files), every web worker sees the same row whichever
    # machine it runs on, and deleting the row deletes the file with it. An upload
    # is at most spreadsheets.MAX_UPLOAD_BYTES (5 MB), which both SQLite and
    # PostgreSQL hold in a column without trouble.
    content = models.BinaryField(_("sisältö"))
    # The user's last choices on the preview (mapping, default category,
    # suggestions, condition grade), so that a refresh and the confirmation
    # use what the preview showed.
    choices = models.JSONField(_("valinnat"), default=dict, blank=True)
    created_at = models.DateTimeField(_("lähetetty"), auto_now_add=True)

    objects = PendingImportManager()

    class Meta:
        verbose_name = _("vahvistamaton tuonti")
        verbose_name_plural = _("vahvistamattomat tuonnit")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=PendingImportPurpose.values),
                name="pending_import_purpose_valid",
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="pending_import_created_idx")]

    def __str__(self):
        return f"{self.batch_id}: {self.original_name}"
