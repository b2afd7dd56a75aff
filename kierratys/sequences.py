from django.db import IntegrityError, transaction

from kierratys.models import YearlySequence


def next_number(*, name, year):
    """Take the next number of a yearly sequence; must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside transaction.atomic()")
    try:
        with transaction.atomic():
            YearlySequence.objects.get_or_create(name=name, year=year)
    except IntegrityError:
        # Another transaction created the row first; it exists now.
        pass
    sequence = YearlySequence.objects.select_for_update().get(name=name, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number
