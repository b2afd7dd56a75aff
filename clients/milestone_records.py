"""Several coaching milestones recorded at once (the client page's milestone form).

All or none, in one transaction: each record goes through services.client_milestone_record
(one milestone once per client, no future date, no identity code in the note), and the first
refusal is raised again naming its milestone, so the coach knows which line to fix."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clients.services import ClientError, client_milestone_record

MILESTONE_REFUSED = _("Välitavoite ”%(milestone)s”: %(reason)s")
MILESTONES_NONE_CHOSEN = _("Valitse ainakin yksi saavutettu välitavoite.")


class MilestoneRefused(ClientError):
    """One of several milestones refused; the message names it, .field is the record's field."""

    def __init__(self, message, *, milestone, field=None, params=None):
        super().__init__(message, code="milestone_refused", params=params)
        self.milestone = milestone
        self.field = field


def client_milestones_record(*, client, records, actor):
    """Record several reached milestones at once, all or none; refusals name the milestone.

    records: (milestone, completed_on, note) triples. Raises MilestoneRefused for the first
    refused milestone (nothing is saved then), ClientError when records is empty."""
    if not records:
        raise ClientError(MILESTONES_NONE_CHOSEN, code="none_chosen")
    saved = []
    with transaction.atomic():
        for milestone, completed_on, note in records:
            try:
                saved.append(
                    client_milestone_record(
                        client=client,
                        milestone=milestone,
                        actor=actor,
                        completed_on=completed_on,
                        note=note,
                    )
                )
            except ValidationError as error:
                if not hasattr(error, "error_dict"):  # already names the milestone
                    raise MilestoneRefused(error.messages[0], milestone=milestone) from error
                field, messages = next(iter(error.message_dict.items()))
                raise MilestoneRefused(
                    MILESTONE_REFUSED,
                    milestone=milestone,
                    field=field if field in ("completed_on", "note") else None,
                    params={"milestone": milestone.name, "reason": messages[0]},
                ) from error
    return saved
