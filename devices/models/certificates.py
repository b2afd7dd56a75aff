"""Erasure certificates as issued: a number, a date, the batch's counts at issue and an
unguessable code for the public verification page."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from devices.models.donors import DonationBatch

# 16 characters of base32 = 80 bits; the alphabet has no 0/1/8 so a code read aloud or
# typed from paper is not mistaken (O/I/B remain, 0/1/8 never appear).
VERIFICATION_CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
VERIFICATION_CODE_LENGTH = 16


def new_verification_code():
    return "".join(
        secrets.choice(VERIFICATION_CODE_ALPHABET) for _ in range(VERIFICATION_CODE_LENGTH)
    )


class ErasureCertificate(models.Model):
    """One issued erasure certificate of a batch; reprinting unchanged figures reuses it."""

    number = models.CharField(_("todistuksen numero"), max_length=20, unique=True)
    batch = models.ForeignKey(
        DonationBatch,
        verbose_name=_("erä"),
        on_delete=models.PROTECT,
        related_name="erasure_certificates",
    )
    verification_code = models.CharField(
        _("varmennuskoodi"), max_length=VERIFICATION_CODE_LENGTH, unique=True
    )
    issued_at = models.DateTimeField(_("myönnetty"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("myöntäjä"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The batch's figures as printed, so the verification page can show what the
    # paper should say beside what is true now.
    device_count = models.PositiveIntegerField(_("laitteita"))
    erased_count = models.PositiveIntegerField(_("tyhjennetty"))
    pending_count = models.PositiveIntegerField(_("odottaa"))
    disposed_count = models.PositiveIntegerField(_("poistettu"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tyhjennystodistus")
        verbose_name_plural = _("tyhjennystodistukset")
        ordering = ["-issued_at"]
        get_latest_by = "issued_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    device_count=models.F("erased_count")
                    + models.F("pending_count")
                    + models.F("disposed_count")
                ),
                name="certificate_counts_add_up",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_partial(self):
        return self.pending_count > 0
