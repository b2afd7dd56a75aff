"""A history timeline that reads as a story, built from django-simple-history records.

    entries = timeline_for(
        device.history.all(),
        Erasure.history.filter(device_id=device.pk),
        hidden_fields={"status_changed_at", "received_at"},
    )

Each entry has `date`, `user`, `text` ("tila vastaanotettu → tyhjennetty"),
`reason` (the change reason in words) and `changes` (field-level diffs of an
edit, or the first values of a new record). Records of several models are
merged in date order. Diffs are computed here by pairing each record with the
previous one of the same object, rather than with simple-history's
`prev_record`, which would query once per row; foreign keys shown in a diff are
fetched in one query per related model.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

CREATED = _("%(model)s kirjattu")
CHANGED = _("%(model)s muutettu")
DELETED = _("%(model)s poistettu")
UNKNOWN_USER = _("järjestelmä")
EMPTY = "–"


class _Shown(dict):
    def __missing__(self, key):
        return EMPTY


def _created_text(record, model_name, changes, summaries):
    text = str(CREATED % {"model": model_name.capitalize()})
    summary = summaries.get(record.instance_type._meta.label)
    if summary:
        text += ": " + summary.format_map(_Shown((c.field, c.new) for c in changes))
    return text


# Bookkeeping columns that say nothing to a reader.
ALWAYS_HIDDEN = {"id"}


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str

    def __str__(self):
        if self.old == EMPTY:
            return f"{self.label}: {self.new}"
        return f"{self.label} {self.old} → {self.new}"


@dataclass
class TimelineEntry:
    date: object
    user: str
    text: str
    model: str
    kind: str  # "created", "changed" or "deleted"
    reason: str = ""
    changes: list = field(default_factory=list)
    record: object = None

    def __str__(self):
        reason = f" ({self.reason})" if self.reason else ""
        return f"{date_format(self.date, 'SHORT_DATE_FORMAT')} {self.user}: {self.text}{reason}"


def reason_text(reason, labels):
    """A change reason in words from `labels`; an unknown reason is shown as written.

    A reason written as "<code>: <what a person typed>" whose code is in `labels` reads
    "<label>: <what was typed>" ("correction: serial mistyped" -> "korjaus: serial mistyped").
    """
    if not reason:
        return ""
    if reason in labels:
        return str(labels[reason])
    code, separator, typed = reason.partition(": ")
    if separator and code in labels:
        return f"{labels[code]}: {typed}"
    return reason


def _user_name(user):
    if user is None:
        return str(UNKNOWN_USER)
    return user.get_full_name() or user.get_username()


def _tracked_fields(history_model, hidden):
    return [
        f
        for f in history_model.tracked_fields
        if f.name not in hidden and f.name not in ALWAYS_HIDDEN
    ]


def _value(record, tracked_field):
    return getattr(record, tracked_field.attname)


def _display(tracked_field, value, related):
    if value is None or value == "":
        return EMPTY
    if tracked_field.is_relation:
        obj = related.get((tracked_field.related_model, value))
        if obj is None:
            return str(value)
        # A person by name ("Veera Valmentaja"), not by user name.
        return _user_name(obj) if hasattr(obj, "get_full_name") else str(obj)
    if tracked_field.choices:
        return str(dict(tracked_field.flatchoices).get(value, value))
    if isinstance(tracked_field, models.BooleanField):
        return str(_("kyllä") if value else _("ei"))
    if isinstance(tracked_field, models.DateTimeField):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(tracked_field, models.DateField):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def timeline_for(
    *histories, hidden_fields=(), reason_labels=None, created_summaries=None, newest_first=False
):
    """Merge historical querysets into TimelineEntries with field diffs, in date order.

    `reason_labels` maps the change reasons the app's services write to words;
    `created_summaries` maps a model label ("devices.Erasure") to a format string
    of its fields, shown after "... kirjattu" for records that are events.
    """
    reason_labels = reason_labels or {}
    created_summaries = created_summaries or {}
    hidden = set(hidden_fields)
    raw = []  # (record, tracked fields, previous record or None)
    for history in histories:
        history_model = history.model
        fields = _tracked_fields(history_model, hidden)
        pk_name = history_model.instance_type._meta.pk.attname
        records = list(history.select_related("history_user").order_by("history_date", "pk"))
        previous_by_object = {}
        for record in records:
            object_id = getattr(record, pk_name)
            raw.append((record, fields, previous_by_object.get(object_id)))
            previous_by_object[object_id] = record

    # One query per related model for the foreign keys shown in diffs.
    wanted = defaultdict(set)
    diffs = []
    for record, fields, previous in raw:
        changed = []
        for tracked in fields:
            new = _value(record, tracked)
            old = _value(previous, tracked) if previous is not None else None
            if record.history_type == "+" and new in (None, ""):
                continue
            if record.history_type == "-" or (previous is not None and old == new):
                continue
            changed.append((tracked, old, new))
            if tracked.is_relation:
                for value in (old, new):
                    if value is not None:
                        wanted[tracked.related_model].add(value)
        diffs.append((record, changed))
    related = {}
    for model, ids in wanted.items():
        for pk, obj in model._default_manager.in_bulk(ids).items():
            related[(model, pk)] = obj

    entries = []
    for record, changed in diffs:
        model_name = str(record.instance_type._meta.verbose_name)
        changes = [
            Change(
                field=tracked.name,
                label=str(tracked.verbose_name),
                old=_display(tracked, old, related) if record.history_type != "+" else EMPTY,
                new=_display(tracked, new, related),
            )
            for tracked, old, new in changed
        ]
        if record.history_type == "+":
            kind, text = "created", _created_text(record, model_name, changes, created_summaries)
        elif record.history_type == "-":
            kind, text = "deleted", DELETED % {"model": model_name.capitalize()}
        else:
            kind = "changed"
            text = (
                "; ".join(str(change) for change in changes)
                if changes
                else CHANGED % {"model": model_name.capitalize()}
            )
        entries.append(
            TimelineEntry(
                date=record.history_date,
                user=_user_name(record.history_user),
                text=str(text),
                model=model_name,
                kind=kind,
                reason=reason_text(record.history_change_reason, reason_labels),
                changes=changes,
                record=record,
            )
        )
    entries.sort(key=lambda entry: entry.date, reverse=newest_first)
    return entries
