from django.db import IntegrityError, transaction
from django.utils import timezone

from kierratys.models import YearlySequence


def reference_year(now=None):
    """The year of a reference (ER-, LK-, AS-): the calendar year in Helsinki, not in UTC.

    settings.TIME_ZONE rather than the active time zone, so that every reference made at
    the same moment gets the same year whoever's request made it."""
    return timezone.localtime(now, timezone.get_default_timezone()).year


def next_number(*, name, year):
    """Take the next number of a yearly sequence; must run inside the caller's transaction."""
    return next_numbers(name=name, year=year, count=1)[0]


def next_numbers(*, name, year, count):
    """Take the next `count` numbers of a yearly sequence at once, as a range."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside transaction.atomic()")
    try:
        with transaction.atomic():
            YearlySequence.objects.get_or_create(name=name, year=year)
    except IntegrityError:
        # Another transaction created the row first; it exists now.
        pass
    sequence = YearlySequence.objects.select_for_update().get(name=name, year=year)
    first = sequence.last_number + 1
    sequence.last_number += count
    sequence.save(update_fields=["last_number"])
    return range(first, sequence.last_number + 1)
