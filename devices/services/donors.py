"""Donor services: coordinators add donor organisations and keep their details."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from devices.models import Donor
from devices.services.errors import full_clean_or_refuse
from kierratys.figures import figures_restamp

DONOR_FIELD_NOT_EDITABLE = _("Lahjoittajan tiedoista ei voi muuttaa tässä kenttää %(fields)s.")

# The donor's own details; its users are linked where user accounts are managed.
DONOR_FIELDS = (
    "kind",
    "name",
    "business_id",
    "contact_person",
    "email",
    "phone",
    "address",
    "language",
)


class DonorError(ValidationError):
    """A donor's details the rules refuse; the message is shown to the user."""


def _refuse_other_fields(fields):
    unknown = set(fields) - set(DONOR_FIELDS)
    if unknown:
        raise DonorError(
            DONOR_FIELD_NOT_EDITABLE, code="field", params={"fields": ", ".join(sorted(unknown))}
        )


def _save(donor, actor, **save_options):
    # Donor.clean() refuses a business ID for a private person and one another donor has.
    full_clean_or_refuse(donor, DonorError, exclude=[])
    donor._history_user = actor
    try:
        with transaction.atomic():
            donor.save(**save_options)
    except IntegrityError:
        # Another donor with the business ID was saved meanwhile: say which.
        full_clean_or_refuse(donor, DonorError, exclude=[])
        raise
    return donor


def donor_create(*, actor, **fields):
    """Add a donor organisation (business ID check digit validated); raises DonorError."""
    _refuse_other_fields(fields)
    with transaction.atomic():
        return _save(Donor(**fields), actor)


def donor_update(*, donor, actor, **fields):
    """Change a donor's details; raises DonorError with the rule's message on its field."""
    _refuse_other_fields(fields)
    with transaction.atomic():
        locked = Donor.objects.select_for_update().get(pk=donor.pk)
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, fields[name])
        _save(locked, actor, update_fields=changed)
        if "name" in changed:
            figures_restamp()  # the dashboard names its donors: a kept copy is out of date
        return locked
