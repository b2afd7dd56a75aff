"""The public verification page of an erasure certificate, /verify/<code>/.

Anyone holding a printed certificate (the donor's auditor) may check it without logging in:
the page shows what the paper should say and what is true now, and nothing personal (no
technician, no serial number, no client; a private donor's name neither). The code carries
80 random bits; an unknown code gets the site's plain 404, and lookups are throttled per
client address so that codes cannot be tried in bulk.
"""

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from devices.certificate_rows import certificate_rows
from devices.models import Donor, ErasureCertificate
from devices.models.certificates import VERIFICATION_CODE_ALPHABET, VERIFICATION_CODE_LENGTH
from kierratys.login_throttle import client_ip_address

LOOKUPS_PER_WINDOW = 20
THROTTLE_WINDOW_SECONDS = 60
THROTTLE_KEY = "certificate-verify:{address}"

TOO_MANY_LOOKUPS = _(
    "Liian monta tarkistusta lyhyessä ajassa. Odota minuutti ja yritä sitten uudelleen."
)
CODE_MALFORMED = _(
    "Tarkista koodi: siinä on 16 merkkiä, kirjaimia A–Z ja numeroita 2–7, "
    "esimerkiksi ABCD-EFGH-IJKL-MNOP."
)
# A robot that finds a verification address must not list it: the page names a donor.
PUBLIC_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer"}
COUNT_FIELDS = ("device_count", "erased_count", "pending_count", "disposed_count")


def normalise_code(text):
    """A code as typed or printed (any case, in groups with dashes or spaces) as stored."""
    return "".join(text.split()).replace("-", "").upper()


def is_well_formed(code):
    return len(code) == VERIFICATION_CODE_LENGTH and all(
        character in VERIFICATION_CODE_ALPHABET for character in code
    )


def lookups_exceeded(request):
    """Count this lookup against the client's address; True past the limit of the window."""
    key = THROTTLE_KEY.format(address=client_ip_address(request))
    cache.add(key, 0, THROTTLE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ran out between add and incr
        cache.set(key, 1, THROTTLE_WINDOW_SECONDS)
        count = 1
    return count > LOOKUPS_PER_WINDOW


def _public(response):
    for header, value in PUBLIC_HEADERS.items():
        response[header] = value
    return response


def public_donor_name(donor):
    """An organisation by its name; a private person only as "a private person"."""
    if donor.kind == Donor.Kind.PRIVATE_PERSON:
        return Donor.Kind.PRIVATE_PERSON.label
    return donor.name


@require_GET
@never_cache
def certificate_verify_form(request):
    """A code typed into the form goes to its page (GET, so the address can be shared)."""
    typed = request.GET.get("code", "")
    error = ""
    if typed.strip():
        code = normalise_code(typed)
        if is_well_formed(code):
            return redirect("devices:certificate_verify", code=code)
        error = CODE_MALFORMED
    response = render(request, "devices/verification_form.html", {"typed": typed, "error": error})
    return _public(response)


@require_GET
@never_cache
def certificate_verify(request, code):
    """The certificate's figures at issue beside the batch's now; 404 for any unknown code."""
    if lookups_exceeded(request):
        response = render(
            request,
            "devices/verification_throttled.html",
            {"message": TOO_MANY_LOOKUPS},
            status=429,
        )
        response["Retry-After"] = str(THROTTLE_WINDOW_SECONDS)
        return _public(response)
    code = normalise_code(code)
    certificate = (
        ErasureCertificate.objects.select_related("batch__donor")
        .filter(verification_code=code)
        .first()
        if is_well_formed(code)
        else None
    )
    if certificate is None:
        raise Http404
    batch = certificate.batch
    now = certificate_rows(batch).counts
    at_issue = {name: getattr(certificate, name) for name in COUNT_FIELDS}
    latest = batch.erasure_certificates.order_by("-issued_at", "-pk").first()
    context = {
        "certificate": certificate,
        "batch": batch,
        "donor_name": public_donor_name(batch.donor),
        "at_issue": at_issue,
        "now": now,
        "changed": now != at_issue,
        "newer": latest if latest.pk != certificate.pk else None,
    }
    return _public(render(request, "devices/verification_detail.html", context))
