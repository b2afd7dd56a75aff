"""The refusals of the devices services, and the model validation they all run."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class IntakeError(ValidationError):
    """An intake step the rules refuse; the message is shown to the user."""


class ProcessingError(ValidationError):
    """A processing step the rules refuse; the message is shown to the user."""


def full_clean_or_refuse(instance, error_class, *, exclude):
    """The model's own validation, its refusal raised as `error_class` with the field names kept."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise error_class(error.error_dict) from None


# A change reason is kept in the history's 100-character reason column after a short code
# ("correction: ", "batch cancelled: "): what a person types must fit beside it.
REASON_MAX_LENGTH = 80
REASON_TOO_LONG = _("Kirjoita syy lyhyemmin: enintään %(max)s merkkiä.")


def reason_or_refuse(reason, *, error_class, missing_message):
    """The typed reason of a correction or cancellation, stripped; refused when empty or long."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise error_class({"reason": ValidationError(missing_message, code="reason_required")})
    if len(reason) > REASON_MAX_LENGTH:
        raise error_class(
            {
                "reason": ValidationError(
                    REASON_TOO_LONG, code="reason_too_long", params={"max": REASON_MAX_LENGTH}
                )
            }
        )
    return reason
