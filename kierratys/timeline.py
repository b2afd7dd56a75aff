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
`prev_record`, which would query once per row. The objects a diff names are
joined into the history queries, or taken from those the page has read already
(`known`), and every person (who acted, who a diff names, and who the page's own
objects name: `also_name`) is read in one query: the query count does not grow
with the story.

`timeline_html(entries)` is the timeline as HTML (templates/_timeline.html shows it):
a long story spent most of its time in the template engine.
"""

from dataclasses import dataclass, field
from html import escape
from operator import attrgetter

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import dateformat, timezone
from django.utils.formats import date_format, get_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

CREATED = _("%(model)s kirjattu")
CHANGED = _("%(model)s muutettu")
DELETED = _("%(model)s poistettu")
UNKNOWN_USER = _("järjestelmä")
EMPTY = "–"
RECORDED_DETAILS = _("Kirjatut tiedot")
NO_HISTORY = _("Ei historiaa.")
# Only what a person's name needs (get_full_name, get_username).
USER_NAME_FIELDS = ("first_name", "last_name", "username")


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


def person_name(user):
    """A person as pages name them: the full name, else the user name (None: the system)."""
    if user is None:
        return str(UNKNOWN_USER)
    return user.get_full_name() or user.get_username()


def _tracked_fields(history_model, hidden):
    return [
        f
        for f in history_model.tracked_fields
        if f.name not in hidden and f.name not in ALWAYS_HIDDEN
    ]


def _values_getter(fields):
    """A function giving a record's values of `fields` as a tuple: one C-level attrgetter
    call a record instead of a getattr a field, the most of the time of diffing a long story."""
    if not fields:
        return lambda record: ()
    getter = attrgetter(*(f.attname for f in fields))
    if len(fields) == 1:
        return lambda record: (getter(record),)
    return getter


# Labels looked up once per field and language: flatchoices and verbose names are lazy
# translations rebuilt on every use.
_LABELS = {}


@dataclass(frozen=True)
class _Words:
    """What a timeline writes its values with, looked up once for its language: each
    get_language() and get_format() reads the request's thread-local state again."""

    language: str
    datetime_format: str
    date_format: str
    yes: str
    no: str

    @classmethod
    def current(cls):
        return cls(
            language=get_language(),
            datetime_format=get_format("SHORT_DATETIME_FORMAT"),
            date_format=get_format("SHORT_DATE_FORMAT"),
            yes=gettext("kyllä"),
            no=gettext("ei"),
        )


def _label(tracked_field, language):
    key = (tracked_field, language)
    if key not in _LABELS:
        _LABELS[key] = str(tracked_field.verbose_name)
    return _LABELS[key]


def _model_name(model, language):
    key = (model, language)
    if key not in _LABELS:
        _LABELS[key] = str(model._meta.verbose_name)
    return _LABELS[key]


def _choice_label(tracked_field, value, language):
    key = (tracked_field, language, "choices")
    if key not in _LABELS:
        _LABELS[key] = {choice: str(label) for choice, label in tracked_field.flatchoices}
    return _LABELS[key].get(value, str(value))


def _display(tracked_field, value, related, words):
    if value is None or value == "":
        return EMPTY
    if tracked_field.is_relation:
        obj = related.get((tracked_field.related_model, value))
        if obj is None:
            return str(value)
        # A person by name ("Veera Valmentaja"), not by user name.
        return person_name(obj) if hasattr(obj, "get_full_name") else str(obj)
    if tracked_field.choices:
        return _choice_label(tracked_field, value, words.language)
    if isinstance(tracked_field, models.BooleanField):
        return words.yes if value else words.no
    if isinstance(tracked_field, models.DateTimeField):
        return dateformat.format(timezone.localtime(value), words.datetime_format)
    if isinstance(tracked_field, models.DateField):
        return dateformat.format(value, words.date_format)
    return str(value)


@dataclass(frozen=True)
class Records:
    """History records of `model` (a historical model) that the caller has read itself, for
    timeline_for: e.g. by a query compiled once (kierratys.compiled_queries). The objects
    their foreign keys name are read as those of `known` are."""

    model: type
    records: list


def _read_records(history, fields, user_model, known):
    """The history's records, oldest first, with the objects its shown foreign keys name
    (people apart: they are read once for the whole timeline; and objects of the models
    the page already holds, looked up by _objects_named)."""
    if isinstance(history, Records):
        records = list(history.records)
        joined = []
    else:
        joined = [
            f.name
            for f in fields
            if f.is_relation and f.related_model is not user_model and f.related_model not in known
        ]
        # Sorted here, not by the database: compiling the ORDER BY cost more than the sort.
        records = list(history.select_related(*joined).order_by())
    records.sort(key=lambda record: (record.history_date, record.pk))
    return records, joined


def _objects_named(raw, known, related):
    """The objects of `known`'s models the records name, from `known` or else one query per
    model (an object the page no longer holds, an evidence file an erasure was moved from)."""
    by_model = {model: {obj.pk: obj for obj in objects} for model, objects in known.items()}
    for _record, fields, values, _previous in raw:
        for tracked, value in zip(fields, values, strict=True):
            if value is not None and tracked.is_relation and tracked.related_model in by_model:
                by_model[tracked.related_model].setdefault(value, None)  # None: to read
    for model, objects in by_model.items():
        missing = [pk for pk, obj in objects.items() if obj is None]
        if missing:
            objects.update(model._default_manager.in_bulk(missing))
        related.update(((model, pk), obj) for pk, obj in objects.items() if obj is not None)


def _user_fields(obj, user_model):
    return [
        f
        for f in obj._meta.concrete_fields
        if f.is_relation and f.many_to_one and f.related_model is user_model
    ]


def _people(raw, wanted_ids, user_model, also_name):
    """Every person the timeline names, in one query; set as each record's history_user,
    and as the people of `also_name` (the page's other objects)."""
    ids = set(wanted_ids)
    ids.update(record.history_user_id for record, *_rest in raw)
    named = [(obj, f) for obj in also_name for f in _user_fields(obj, user_model)]
    ids.update(getattr(obj, f.attname) for obj, f in named)
    ids.discard(None)
    people = user_model._default_manager.only(*USER_NAME_FIELDS).in_bulk(ids) if ids else {}
    for record, *_rest in raw:
        type(record).history_user.field.set_cached_value(record, people.get(record.history_user_id))
    for obj, f in named:
        person = people.get(getattr(obj, f.attname))
        if person is not None:
            f.set_cached_value(obj, person)
    return {(user_model, pk): person for pk, person in people.items()}


def _changed(history_type, fields, values, previous):
    """(field, old, new) of what a record shows: a new record's filled-in values, an edit's
    changed ones (every one when the object's earlier records are missing), none of a
    deletion."""
    if history_type == "-":
        return []
    created = history_type == "+"
    olds = (None,) * len(values) if previous is None else previous
    return [
        (f, old, new)
        for f, old, new in zip(fields, olds, values, strict=True)
        if (previous is None or old != new) and not (created and (new is None or new == ""))
    ]


def timeline_for(
    *histories,
    hidden_fields=(),
    reason_labels=None,
    created_summaries=None,
    newest_first=False,
    known=None,
    also_name=(),
):
    """Merge historical querysets into TimelineEntries with field diffs, in date order.

    `reason_labels` maps the change reasons the app's services write to words;
    `created_summaries` maps a model label ("devices.Erasure") to a format string
    of its fields, shown after "... kirjattu" for records that are events.
    `known` maps a model to the objects of it the page has read already (a device's batch,
    media, evidence files): a record naming one is shown from it, not by joining the model
    into every record, and any other is read in one query. The people of the objects in
    `also_name` are set from the timeline's one query of people. A history is a queryset of
    historical records, or the `Records` a caller has read.
    """
    reason_labels = reason_labels or {}
    created_summaries = created_summaries or {}
    hidden = set(hidden_fields)
    user_model = get_user_model()
    raw = []  # (record, tracked fields, its values of them, the previous record's or None)
    related = {}
    known = dict(known or {})
    for history in histories:
        history_model = history.model
        fields = _tracked_fields(history_model, hidden)
        if isinstance(history, Records):
            # Records read without joins: what they name is looked up like `known`'s.
            for f in fields:
                if f.is_relation and f.related_model is not user_model:
                    known.setdefault(f.related_model, [])
        values_of = _values_getter(fields)
        pk_name = history_model.instance_type._meta.pk.attname
        records, joined = _read_records(history, fields, user_model, known)
        previous_by_object = {}
        for record in records:
            object_id = getattr(record, pk_name)
            values = values_of(record)
            raw.append((record, fields, values, previous_by_object.get(object_id)))
            previous_by_object[object_id] = values
            for name in joined:
                obj = record._state.fields_cache.get(name)
                if obj is not None:
                    related[(type(obj), obj.pk)] = obj

    wanted_people = set()
    diffs = []
    for record, fields, values, previous in raw:
        changed = _changed(record.history_type, fields, values, previous)
        wanted_people.update(
            value
            for tracked, old, new in changed
            if tracked.is_relation and tracked.related_model is user_model
            for value in (old, new)
        )
        diffs.append((record, changed))
    _objects_named(raw, known, related)
    related.update(_people(raw, wanted_people, user_model, also_name))

    words = _Words.current()
    entries = []
    for record, changed in diffs:
        model_name = _model_name(record.instance_type, words.language)
        created = record.history_type == "+"
        changes = [
            Change(
                field=tracked.name,
                label=_label(tracked, words.language),
                old=EMPTY if created else _display(tracked, old, related, words),
                new=_display(tracked, new, related, words),
            )
            for tracked, old, new in changed
        ]
        if created:
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
                user=person_name(record.history_user),
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


ENTRY_HTML = (
    '<li>\n<time datetime="{datetime}">{shown}</time>\n<strong>{user}</strong>: {text}{reason}'
    "\n{details}</li>\n"
)
REASON_HTML = ' <span class="muted">({})</span>'
DETAILS_HTML = '<details><summary>{}</summary>\n<ul class="changes">{}</ul>\n</details>\n'


def timeline_html(entries):
    """The entries as the page's <ol class="timeline"> (or "Ei historiaa."), every value escaped."""
    if not entries:
        return mark_safe(f'<p class="muted">{conditional_escape(gettext(NO_HISTORY))}</p>')
    # The entries' values are plain strings (TimelineEntry and Change hold str), escaped as
    # Django's escape() does, by html.escape: without its lazy-string wrapper, a quarter
    # of the time of a long story's HTML.
    details = escape(gettext(RECORDED_DETAILS))
    shown_format = get_format("SHORT_DATETIME_FORMAT")
    items = []
    for entry in entries:
        date = timezone.localtime(entry.date)
        changes = ""
        if entry.kind == "created" and entry.changes:
            listed = "".join(f"<li>{escape(str(c))}</li>" for c in entry.changes)
            changes = DETAILS_HTML.format(details, listed)
        items.append(
            ENTRY_HTML.format(
                # What the template's date:'Y-m-d\\TH:i:sO' wrote ("2025-03-03T14:05:00+0200").
                datetime=date.strftime("%Y-%m-%dT%H:%M:%S%z"),
                shown=escape(dateformat.format(date, shown_format)),
                user=escape(entry.user),
                text=escape(entry.text),
                reason=REASON_HTML.format(escape(entry.reason)) if entry.reason else "",
                details=changes,
            )
        )
    return mark_safe('<ol class="timeline">\n' + "".join(items) + "</ol>")
