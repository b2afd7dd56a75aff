"""Two-factor login pages: the code after the password, enrolment, recovery codes, removal.

The rules are in accounts/two_factor.py; these views show them. Pages that change a
device need a verified session when the user is enrolled: otherwise a stolen password
alone could swap the app or print new recovery codes.
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import two_factor
from kierratys.roles import COORDINATOR, role_required
from kierratys.timeline import person_name

CODES_REPLACED = _("Uudet varakoodit on luotu. Vanhat varakoodit eivät enää käy.")
REMOVED_OWN = _("Kaksivaiheinen tunnistautuminen on poistettu käytöstä.")
REMOVED_FOR = _("Käyttäjän %(name)s kaksivaiheinen tunnistautuminen on poistettu.")


class CodeForm(forms.Form):
    # One field on two pages; kept beside them rather than in a forms module of its own.
    code = forms.CharField(label=_("Koodi"), max_length=32, strip=True)


def _next_url(request):
    """The page to go on to after the code: a same-site `next`, or the start page."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_verify(request):
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    if two_factor.confirmed_totp_device(request.user) is None:
        # The device was removed (by a coordinator, or in another session): nothing to
        # ask; the middleware sends a user who must have one to enrolment.
        two_factor.session_remember_enrolment(request, False)
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = two_factor.two_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except two_factor.TwoFactorError as error:
            form.add_error("code", error)
        else:
            two_factor.session_verify(request, device)
            return redirect(next_url)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


@login_required
def two_factor_enrol(request):
    next_url = _next_url(request)
    try:
        device = two_factor.totp_device_for_enrolment(
            user=request.user, verified=request.user.is_verified()
        )
    except two_factor.TwoFactorError as error:
        # Enrolled in another session since this one's login: the code is owed now.
        two_factor.session_remember_enrolment(request, True)
        messages.error(request, error.message)
        verify = resolve_url("accounts:two_factor_verify")
        return redirect(f"{verify}?{urlencode({'next': request.path})}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device, codes = two_factor.totp_device_confirm(
                user=request.user, device=device, code=form.cleaned_data["code"]
            )
        except two_factor.TwoFactorError as error:
            form.add_error("code", error)
        else:
            two_factor.session_verify(request, device)
            return _recovery_codes_page(request, codes, next_url, enrolled_now=True)
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": two_factor.totp_qr_svg(device),
        "secret": two_factor.totp_secret(device),
        "required": two_factor.is_required(request.user),
        "replacing": two_factor.confirmed_totp_device(request.user) is not None,
    }
    return render(
        request, "accounts/two_factor_enrol.html", context, status=400 if form.errors else 200
    )


@login_required
def two_factor_manage(request):
    user = request.user
    device = two_factor.confirmed_totp_device(user)
    context = {
        "device": device,
        "verified": user.is_verified(),
        "required": two_factor.is_required(user),
        "may_remove": two_factor.may_remove(user=user, actor=user),
        "codes_left": two_factor.recovery_codes_left(user) if device else 0,
    }
    return render(request, "accounts/two_factor_manage.html", context)


@require_POST
@login_required
def recovery_codes_regenerate(request):
    if not request.user.is_verified():
        return _not_verified(request)
    try:
        codes = two_factor.recovery_codes_regenerate(user=request.user)
    except two_factor.TwoFactorError as error:
        messages.error(request, error.message)
        return redirect("accounts:two_factor_manage")
    messages.success(request, CODES_REPLACED)
    return _recovery_codes_page(
        request, codes, resolve_url("accounts:two_factor_manage"), enrolled_now=False
    )


@require_POST
@login_required
def two_factor_remove(request):
    if not request.user.is_verified():
        return _not_verified(request)
    try:
        two_factor.two_factor_remove(user=request.user, actor=request.user)
    except two_factor.TwoFactorError as error:
        messages.error(request, error.message)
    else:
        two_factor.session_remember_enrolment(request, False)
        messages.success(request, REMOVED_OWN)
    return redirect("accounts:two_factor_manage")


@require_POST
@role_required(COORDINATOR)
def two_factor_remove_for_user(request, pk):
    user = get_object_or_404(get_user_model(), pk=pk)
    try:
        two_factor.two_factor_remove(user=user, actor=request.user)
    except two_factor.TwoFactorError as error:
        messages.error(request, error.message)
    else:
        if user.pk == request.user.pk:
            two_factor.session_remember_enrolment(request, False)
        messages.success(request, REMOVED_FOR % {"name": person_name(user)})
    return redirect(_next_url(request))


def _not_verified(request):
    """An enrolled user's unverified session (not enrolled: there is nothing to change)."""
    if two_factor.confirmed_totp_device(request.user) is None:
        messages.error(request, two_factor.NOT_ENROLLED)
        return redirect("accounts:two_factor_manage")
    return redirect("accounts:two_factor_verify")


def _recovery_codes_page(request, codes, next_url, *, enrolled_now):
    # Shown in the POST's own response: the codes are never stored anywhere to show again.
    context = {"codes": codes, "next": next_url, "enrolled_now": enrolled_now}
    return render(request, "accounts/two_factor_recovery_codes.html", context)
