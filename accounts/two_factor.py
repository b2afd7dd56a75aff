"""Two-factor login: who must use it, enrolment, the code at login, recovery codes.

A user is enrolled when they have a confirmed TOTP device (django-otp). Enrolment
also gives them RECOVERY_CODE_COUNT single-use recovery codes, the tokens of one
StaticDevice. A session is verified once `django_otp.login()` has recorded the
device that accepted a code; `accounts.middleware.TwoFactorMiddleware` asks
`owed_step` on every request and keeps an enrolled user's unverified session on
the code page, and a coordinator's or coach's session on the enrolment page while
REQUIRE_2FA is on and they have no device. Technicians and donors may enrol
themselves; they are then asked for the code like everyone else.
"""

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor_session import remember_enrolment, session_enrolled
from kierratys.roles import COACH, COORDINATOR, has_role, is_coordinator

# The roles that see clients' personal data.
REQUIRED_ROLES = (COORDINATOR, COACH)
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Todennussovellus"
RECOVERY_DEVICE_NAME = "Varakoodit"

# What the middleware sends an unfinished session to.
VERIFY = "verify"
ENROL = "enrol"

CODE_REFUSED = _(
    "Koodi on väärä tai vanhentunut. Tarkista koodi todennussovelluksesta ja yritä uudelleen."
)
CODE_THROTTLED = _("Liian monta väärää koodia peräkkäin. Odota hetki ja yritä sitten uudelleen.")
ENROL_VERIFY_FIRST = _(
    "Anna ensin nykyisen todennussovelluksesi koodi, ennen kuin otat uuden käyttöön."
)
NOT_ENROLLED = _("Kaksivaiheinen tunnistautuminen ei ole käytössäsi.")
REMOVE_REFUSED = _(
    "Kaksivaiheinen tunnistautuminen on roolissasi pakollinen, joten et voi poistaa sitä. "
    "Jos puhelin on kadonnut, kirjaudu varakoodilla ja ota uusi puhelin käyttöön, "
    "tai pyydä koordinaattoria poistamaan vanha."
)


class TwoFactorError(ValidationError):
    """A code or a two-factor change refused, with the message to show."""


def is_required(user):
    """Whether the user must use two-factor login (REQUIRE_2FA and a role that sees clients)."""
    return settings.REQUIRE_2FA and has_role(user, *REQUIRED_ROLES)


def confirmed_totp_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_device(user):
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def may_remove(*, user, actor):
    """A coordinator may remove anyone's device; a user their own where it is optional."""
    return is_coordinator(actor) or (actor.pk == user.pk and not is_required(user))


# The session: enrolled or not (accounts/two_factor_session.py), verified or not (django-otp).


def session_remember_enrolment(request, enrolled):
    """Note in the session that its user is (no longer) enrolled, after a change here."""
    remember_enrolment(request.session, request.user, enrolled)


def session_verify(request, device):
    """Mark the session verified by `device` (and so enrolled)."""
    django_otp.login(request, device)
    session_remember_enrolment(request, True)


def owed_step(request):
    """What the session's user still owes before using the app: VERIFY, ENROL or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_verified():
        return None
    if session_enrolled(request):
        return VERIFY
    if is_required(user):
        return ENROL
    return None


# Enrolment.


def totp_device_for_enrolment(*, user, verified):
    """The user's unconfirmed TOTP device, made on the first visit; raises TwoFactorError
    when an enrolled user's session is not verified (a new app must not bypass the old)."""
    if not verified and TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise TwoFactorError(ENROL_VERIFY_FIRST, code="verify_first")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, user, device, code):
    """Confirm the new TOTP device with its first code, replacing any older one, and return
    (device, new recovery codes); raises TwoFactorError for a wrong or throttled code."""
    _refuse_while_throttled(device)
    # A wrong code's throttle count must be committed, so nothing is raised in here.
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        accepted = not device.confirmed and device.verify_token(_normalised(code))
        if accepted:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = recovery_codes_regenerate(user=user)
    if not accepted:
        raise TwoFactorError(CODE_REFUSED, code="refused")
    return device, codes


# The code at login.


def two_factor_verify(*, user, code):
    """The device that accepts the code: a 6-digit TOTP code, or a recovery code, which is
    used up; raises TwoFactorError when the code is wrong or wrong codes are throttled."""
    token = _normalised(code)
    # Recovery codes always hold a letter (recovery_codes_regenerate), app codes never.
    if token.isdigit():
        device = confirmed_totp_device(user)
    else:
        device = recovery_device(user)
    if device is None:
        raise TwoFactorError(CODE_REFUSED, code="refused")
    _refuse_while_throttled(device)
    verified = django_otp.verify_token(user, device.persistent_id, token)
    if verified is None:
        raise TwoFactorError(CODE_REFUSED, code="refused")
    return verified


# Recovery codes and removal.


@transaction.atomic
def recovery_codes_regenerate(*, user):
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new single-use ones and
    return them (they are shown once); raises TwoFactorError when the user is not enrolled."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise TwoFactorError(NOT_ENROLLED, code="not_enrolled")
    # The device itself is kept: a session verified with a recovery code stays verified.
    device = recovery_device(user)
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if not code.isdigit():
            codes.add(code)
    codes = sorted(codes)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_remove(*, user, actor):
    """Remove the user's TOTP devices and recovery codes (see `may_remove`); raises
    TwoFactorError when the actor may not, or the user is not enrolled."""
    if not may_remove(user=user, actor=actor):
        raise TwoFactorError(REMOVE_REFUSED, code="required")
    removed, _per_model = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if not removed:
        raise TwoFactorError(NOT_ENROLLED, code="not_enrolled")


# Showing a device to its user.


def totp_secret(device):
    """The key in base32, as authenticator apps take it when typed in."""
    return b32encode(device.bin_key).decode()


def totp_qr_svg(device):
    """The device's otpauth:// address as a QR code in inline SVG markup (the CSP allows it)."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=5, dark="#000", light="#fff", omitsize=True)


def _normalised(code):
    """A code as typed: spaces and hyphens dropped, letters lower-case (recovery codes)."""
    return "".join(code.split()).replace("-", "").lower()


def _refuse_while_throttled(device):
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise TwoFactorError(CODE_THROTTLED, code="throttled")
