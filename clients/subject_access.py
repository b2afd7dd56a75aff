"""Subject access: everything stored about one client, as data for a JSON file.

The register keeper must be able to give a person all data held about him or
her (GDPR art. 15). The export covers the record, milestones, handovers with
their devices, every history row of those, and the access log; making the
export is itself logged (action "export") before the data is gathered, so the
file lists its own export too.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from clients.access_log import access_log_record
from clients.models import AccessLog, Client, ClientMilestone, Handover, Municipality

# 2: the municipality is a code of the classification, named under "municipalities".
FORMAT_VERSION = 2


def _user(user):
    return user.get_username() if user is not None else None


class _Usernames(dict):
    """User id -> username, each user read once per export."""

    def __missing__(self, pk):
        self[pk] = get_user_model()._default_manager.get(pk=pk).get_username()
        return self[pk]


def _values(obj, fields, usernames):
    """The values of `fields` of `obj`; users as usernames, other foreign keys as ids."""
    data = {}
    for model_field in fields:
        value = getattr(obj, model_field.attname)
        if model_field.is_relation and model_field.related_model is get_user_model():
            value = usernames[value] if value is not None else None
        data[model_field.name] = value
    return data


def _history(queryset, usernames):
    """Every history row of the queryset, oldest first, with who changed what and why."""
    model = queryset.model
    tracked = [f for f in model._meta.concrete_fields if not f.name.startswith("history_")]
    rows = []
    for record in queryset.select_related("history_user").order_by("history_date", "history_id"):
        row = {
            "history_date": record.history_date,
            "history_type": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
            "history_user": _user(record.history_user),
            "history_change_reason": record.history_change_reason,
        }
        row.update(_values(record, tracked, usernames))
        rows.append(row)
    return rows


def _municipality_names(client_row, history_rows):
    """The names of the municipalities the export refers to by code, code -> names."""
    codes = {row["municipality"] for row in [client_row, *history_rows]} - {None}
    return {
        municipality.code: {"name_fi": municipality.name_fi, "name_sv": municipality.name_sv}
        for municipality in Municipality.objects.filter(code__in=codes).order_by("code")
    }


def client_subject_access_export(*, client, actor):
    """Gather all data about `client` for a subject-access request; logs the export first."""
    usernames = _Usernames()
    with transaction.atomic():
        client = Client.objects.select_related("coach").get(pk=client.pk)
        access_log_record(client=client, user=actor, action=AccessLog.Action.EXPORT)
        milestones = ClientMilestone.objects.filter(client=client).select_related(
            "milestone", "recorded_by"
        )
        handovers = (
            Handover.objects.filter(client=client)
            .select_related("device", "reserved_by", "handed_over_by")
            .order_by("reserved_at")
        )
        access_logs = AccessLog.objects.filter(client=client).select_related("user").order_by("at")
        client_row = _values(client, Client._meta.concrete_fields, usernames)
        client_history = _history(Client.history.filter(id=client.pk), usernames)
        return {
            "export": {
                "format_version": FORMAT_VERSION,
                "exported_at": timezone.now(),
                "exported_by": _user(actor),
                "client_code": client.code,
            },
            "client": client_row,
            # The record and its history name the municipality by its code in Statistics
            # Finland's classification; these are the names of those codes.
            "municipalities": _municipality_names(client_row, client_history),
            "milestones": [
                {
                    "milestone_code": record.milestone.code,
                    "milestone": record.milestone.name_fi,
                    "completed_on": record.completed_on,
                    "recorded_by": _user(record.recorded_by),
                    "note": record.note,
                }
                for record in milestones
            ],
            "handovers": [
                {
                    "device": {
                        "inventory_code": handover.device.inventory_code,
                        "category": handover.device.category,
                        "manufacturer": handover.device.manufacturer,
                        "model": handover.device.model,
                        "serial_number": handover.device.serial_number,
                    },
                    **_values(
                        handover,
                        [f for f in Handover._meta.concrete_fields if f.name != "device"],
                        usernames,
                    ),
                }
                for handover in handovers
            ],
            "history": {
                "client": client_history,
                "milestones": _history(
                    ClientMilestone.history.filter(client_id=client.pk), usernames
                ),
                "handovers": _history(Handover.history.filter(client_id=client.pk), usernames),
            },
            "access_log": [
                {"at": entry.at, "user": _user(entry.user), "action": entry.action}
                for entry in access_logs
            ],
        }
