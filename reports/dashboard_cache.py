"""The dashboard's figures kept between requests until the stored figures change.

Every change of the counters gives the figures' stamp a new random token in the same
transaction (kierratys.figures.figures_restamp), so what was computed at one token is
what would be computed again, as long as the token holds: a dashboard opened again, or
by a second coordinator, costs one query for the token instead of a dozen. Each server
process keeps its own few copies (by token, filters, language and day); a copy is never
shared between processes, so nothing here needs invalidating. Before the figures ever
changed (no token) nothing is kept."""

import threading
from collections import OrderedDict

from django.utils import timezone, translation

from kierratys.figures import figures_stamp

KEPT = 32  # filter combinations x languages kept per process, the least recently used go

_kept = OrderedDict()
_lock = threading.Lock()


def kept(filters, compute):
    """compute() for the filters as of the figures' stamp: kept until the figures change.

    The token is read before computing: figures changed meanwhile come with a new token,
    under which they are computed again (never kept under a token older than they are)."""
    token = figures_stamp()
    if token is None:
        return compute()
    key = (token, filters, translation.get_language(), timezone.localdate())
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    value = compute()
    with _lock:
        _kept[key] = value
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return value


def forget():
    """Drop every kept copy (tests that change counters without the services)."""
    with _lock:
        _kept.clear()
