"""Login throttling with django-axes: the client's address, and a limit per address.

Axes counts failures per lockout parameter and compares the largest count with
one AXES_FAILURE_LIMIT: a per-parameter limit does not exist. Listing
"ip_address" beside ["username", "ip_address"] would either lock a whole office
(one shared address) after five mistypes, or let a spray of four guesses per
username through a limit high enough for the office. It would also let one
successful login reset every failure from that address. So the lockout
parameters stay [["username", "ip_address"]] (AXES_FAILURE_LIMIT, five) and the
handler below adds one check: LOGIN_FAILURE_LIMIT_PER_ADDRESS failures from
one address, summed over all usernames within the cool-off, lock that address.
A user's successful login still clears only that user's failures there.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def client_ip_address(request):
    """The client's address: X-Real-IP behind the proxy (BEHIND_PROXY), REMOTE_ADDR otherwise.

    Only a proxy that overwrites X-Real-IP makes the header trustworthy; without
    BEHIND_PROXY any client could pick the address its failures count against.
    """
    if settings.BEHIND_PROXY:
        try:
            return str(ipaddress.ip_address(request.META.get("HTTP_X_REAL_IP", "").strip()))
        except ValueError:
            pass  # the request did not come through the proxy: the connection's address
    return request.META.get("REMOTE_ADDR")


class AddressLimitedHandler(AxesDatabaseHandler):
    """Axes' database handler plus a limit on failures from one address across usernames."""

    def get_failures(self, request, credentials=None):
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS:
            # Axes compares this one count with AXES_FAILURE_LIMIT.
            return max(failures, get_failure_limit(request, credentials))
        return failures

    @staticmethod
    def address_failures(request):
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
