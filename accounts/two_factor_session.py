"""Whether a session's user is enrolled in two-factor login, kept in the session.

TwoFactorMiddleware asks on every request of an unverified session, so the answer is
noted once, at login (`note_enrolment_at_login`, connected in AccountsConfig.ready
as Django connects its own `update_last_login`), and read from the session after
that: a user without two-factor login costs no query per request. A session made
before this existed is read from the database on its first request. The rules that
use the answer are in accounts/two_factor.py.

Imported by accounts/apps.py before the models are ready: the device model is looked
up when it is needed.
"""

from django.apps import apps

# [user pk, enrolled?]
ENROLMENT_SESSION_KEY = "two_factor_enrolled"


def user_is_enrolled(user):
    """Whether the user has a confirmed TOTP device."""
    totp_device = apps.get_model("otp_totp", "TOTPDevice")
    return totp_device.objects.filter(user=user, confirmed=True).exists()


def remember_enrolment(session, user, enrolled):
    session[ENROLMENT_SESSION_KEY] = [user.pk, enrolled]


def session_enrolled(request):
    """Whether the session's user is enrolled: noted at login, else read once now."""
    cached = request.session.get(ENROLMENT_SESSION_KEY)
    if cached and cached[0] == request.user.pk:
        return cached[1]
    enrolled = user_is_enrolled(request.user)
    remember_enrolment(request.session, request.user, enrolled)
    return enrolled


def note_enrolment_at_login(sender, request, user, **kwargs):
    """user_logged_in receiver: every way in (login page, admin, invitation, force_login)."""
    session = getattr(request, "session", None)
    if session is not None:
        remember_enrolment(session, user, user_is_enrolled(user))
