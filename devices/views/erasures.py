"""Technician pages that record processing: erasure attempts, refurbishment checks, disposal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from devices import lifecycle, services
from devices.forms.processing import DisposeForm, ErasureForm, RefurbishmentForm
from devices.models import Device, Erasure
from kierratys.forms import show_refusal
from kierratys.messages import messages_from_error, messages_from_form
from kierratys.roles import TECHNICIAN, role_required

ERASURE_PASSED = _("Tyhjennys kirjattu: laite %(code)s on nyt tyhjennetty.")


ERASURE_FAILED = _(
    "Epäonnistunut tyhjennys kirjattu laitteelle %(code)s. Laite odottaa uutta yritystä."
)


ERASURE_DESTROYED = _("Laite %(code)s on tuhottu ja poistettu: %(reason)s.")


REFURBISHED = _("Kunnostus kirjattu: laite %(code)s on valmis luovutettavaksi.")


REFURBISHMENT_INCOMPLETE = _(
    "Tarkastus kirjattu, mutta kaikki kohdat eivät ole kunnossa: laite %(code)s ei ole vielä "
    "valmis luovutettavaksi."
)


DISPOSED = _("Laite %(code)s on poistettu: %(reason)s.")


def _device_page(device):
    # The device page belongs to the device views; until it exists, the queue is home.
    try:
        return device.get_absolute_url()
    except NoReverseMatch:
        return reverse("devices:workqueue")


@role_required(TECHNICIAN)
def erasure_create(request, code):
    """Log an erasure attempt; the technician is the logged-in user."""
    device = get_object_or_404(Device.objects.select_related("batch__donor"), inventory_code=code)
    form = ErasureForm(request.POST or None, device=device, technician=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            erasure = services.erasure_record(device=device, actor=request.user, **data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            device.refresh_from_db()
            params = {"code": device.inventory_code}
            if device.status == Device.Status.DISPOSED:
                params["reason"] = device.get_disposal_reason_display()
                messages.success(request, ERASURE_DESTROYED % params)
            elif erasure.result == Erasure.Result.PASSED:
                messages.success(request, ERASURE_PASSED % params)
            else:
                messages.warning(request, ERASURE_FAILED % params)
            return redirect("devices:workqueue")
    attempts = device.erasures.select_related("technician").order_by("-recorded_at")
    return render(
        request,
        "devices/erasure_form.html",
        {
            "device": device,
            "form": form,
            "attempts": attempts,
            "can_erase": lifecycle.ERASURE in lifecycle.allowed_actions(device),
            "dispose_form": DisposeForm(),
        },
    )


@role_required(TECHNICIAN)
def refurbishment_create(request, code):
    """Log the refurbishment checklist of an erased device."""
    device = get_object_or_404(Device.objects.select_related("batch"), inventory_code=code)
    form = RefurbishmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            check = services.refurbishment_record(
                device=device, actor=request.user, checked_at=timezone.now(), **data
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            params = {"code": device.inventory_code}
            if check.is_complete:
                messages.success(request, REFURBISHED % params)
            else:
                messages.warning(request, REFURBISHMENT_INCOMPLETE % params)
            return redirect("devices:workqueue")
    checks = device.refurbishment_checks.select_related("checked_by").order_by("-checked_at")
    return render(
        request,
        "devices/refurbishment_form.html",
        {
            "device": device,
            "form": form,
            "checks": checks,
            "can_refurbish": lifecycle.REFURBISHMENT in lifecycle.allowed_actions(device),
            "dispose_form": DisposeForm(),
        },
    )


@require_POST
@role_required(TECHNICIAN)
def device_dispose(request, code):
    """Dispose of a received or erased device as beyond repair, with how."""
    device = get_object_or_404(Device, inventory_code=code)
    form = DisposeForm(request.POST)
    if not form.is_valid():
        messages_from_form(request, form)
        return redirect(_device_page(device))
    try:
        device = lifecycle.device_dispose(
            device=device, actor=request.user, disposal_reason=form.cleaned_data["disposal_reason"]
        )
    except ValidationError as error:
        messages_from_error(request, error)
        return redirect(_device_page(device))
    messages.success(
        request,
        DISPOSED % {"code": device.inventory_code, "reason": device.get_disposal_reason_display()},
    )
    return redirect("devices:workqueue")
