"""One row of a device list checked: cell texts turned into field values, the model's own
field validation and rules, and serials and IMEIs against the rest of the list and the
inventory in a few set-based queries (not one query per row)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from devices.import_mapping import (
    field_label,
    parse_inches,
    parse_size,
    parse_storage_type,
    yes_or_no,
)
from devices.models import Device
from devices.models.device import (
    IMEI_ALREADY_IN_INVENTORY,
    SERIAL_ALREADY_IN_INVENTORY,
    serial_key,
    serial_key_text,
)

REQUIRED_FIELDS = ("manufacturer", "model")
# Fields Excel damages when they are typed as numbers.
IDENTIFIER_FIELDS = ("serial_number", "imei")
LOOKUP_CHUNK = 500

SCIENTIFIC_NOTATION = _(
    "%(field)s ”%(value)s” on Excelin eksponenttimuodossa, joten sen numeroita on kadonnut. "
    "Muotoile sarake Excelissä tekstiksi (Muotoile solut → Teksti), kirjoita arvot uudelleen "
    "laitteista ja tallenna tiedosto uudelleen."
)
NOT_A_NUMBER = _("%(field)s: ”%(value)s” ei ole luku.")
NOT_YES_OR_NO = _("%(field)s: ”%(value)s” ei ole kyllä tai ei.")
DUPLICATE_IN_FILE = _("sarjanumero %(serial)s on tiedostossa jo rivillä %(row)s.")
DUPLICATE_IMEI_IN_FILE = _("IMEI %(imei)s on tiedostossa jo rivillä %(row)s.")
MISSING_FIELD = _("”%(field)s” puuttuu.")


def cell_value(name, text):
    """The value a field gets from a cell's text; ValueError when the text is not one."""
    if name == "serial_number":
        # Non-breaking and double spaces from a spreadsheet are one space.
        return " ".join(text.split())
    if name == "imei":
        return re.sub(r"[\s-]", "", text)
    if name in ("ram_gb", "storage_gb"):
        return parse_size(text, tera=name == "storage_gb")
    if name == "screen_inches":
        return parse_inches(text)
    if name == "storage_type":
        return parse_storage_type(text) if text else ""
    if name == "condition_grade":
        return text.strip().upper()
    if name in ("has_charger", "has_case"):
        value = yes_or_no(text)
        if value is None:
            raise ValueError(text)
        return value
    return text


def clean_fields(model, fields, raw, category, defaults):
    """(the row's field values, its errors): the model's own field validation and rules."""
    values, errors, failed = {}, [], set()
    for name, text in raw.items():
        if name == "category":
            continue
        label = field_label(name, model)
        if name in IDENTIFIER_FIELDS and scientific_notation(text):
            errors.append(str(SCIENTIFIC_NOTATION % {"field": label, "value": text}))
            failed.add(name)
            continue
        try:
            values[name] = cell_value(name, text)
        except ValueError:
            message = NOT_YES_OR_NO if name in ("has_charger", "has_case") else NOT_A_NUMBER
            errors.append(str(message % {"field": label, "value": text[:40]}))
            failed.add(name)
    for name, value in defaults.items():
        if not values.get(name):
            values[name] = value
    for name in REQUIRED_FIELDS:
        if not values.get(name) and name not in failed:
            errors.append(str(MISSING_FIELD % {"field": field_label(name, model)}))
            failed.add(name)
    if category is None:
        failed.add("category")
    else:
        values["category"] = category
    instance = model(**{name: value for name, value in values.items() if name not in failed})
    listed = set(fields) - failed
    exclude = [f.name for f in model._meta.concrete_fields if f.name not in listed]
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            failed.add(name)
            label = field_label(name, model)
            errors.extend(f"{label}: {message}" for message in messages)
    if model is Device and not failed & {"category", "imei"}:
        for name, error in instance.own_rule_errors().items():
            errors.extend(f"{field_label(name)}: {message}" for message in error.messages)
    return {name: getattr(instance, name) for name in fields}, errors


def scientific_notation(text):
    """ "6.37702E+15": a number Excel has shown, and saved, with its digits lost."""
    return bool(_SCIENTIFIC.match(text.strip()))


_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?E\+\d+$|^\d+[.,]\d+E-?\d+$", re.IGNORECASE)


def identifier_errors(rows):
    """{row number: errors} for serials and IMEIs repeated in the rows or already in the
    inventory, serials compared as the unique_device_serial constraint compares them."""
    errors = {row.number: [] for row in rows}
    serials, imeis = {}, {}
    for row in rows:
        serial = row.fields.get("serial_number") or ""
        if serial and not scientific_notation(serial):
            first = serials.setdefault(serial_key_text(serial), row.number)
            if first != row.number:
                errors[row.number].append(str(DUPLICATE_IN_FILE % {"serial": serial, "row": first}))
        imei = row.fields.get("imei") or ""
        if imei and not scientific_notation(imei):
            first = imeis.setdefault(imei, row.number)
            if first != row.number:
                errors[row.number].append(
                    str(DUPLICATE_IMEI_IN_FILE % {"imei": imei, "row": first})
                )
    known_serials = _known(
        Device.objects.exclude(serial_number="").annotate(key=serial_key("serial_number")),
        "key",
        list(serials),
    )
    known_imeis = _known(Device.objects.exclude(imei=""), "imei", list(imeis))
    for row in rows:
        serial = row.fields.get("serial_number") or ""
        code = known_serials.get(serial_key_text(serial)) if serial else None
        if code:
            message = SERIAL_ALREADY_IN_INVENTORY % {"serial": serial, "code": code}
            errors[row.number].append(str(message))
        imei = row.fields.get("imei") or ""
        code = known_imeis.get(imei) if imei else None
        if code:
            errors[row.number].append(str(IMEI_ALREADY_IN_INVENTORY % {"imei": imei, "code": code}))
    return errors


def _known(queryset, key, values):
    """{value: inventory code} of the devices whose `key` is one of the values."""
    known = {}
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        filtered = queryset.filter(**{f"{key}__in": chunk}).order_by()
        known.update(filtered.values_list(key, "inventory_code"))
    return known
