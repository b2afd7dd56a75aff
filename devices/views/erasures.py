"""Technician pages that record processing: erasure attempts per storage medium, the media
themselves, second-person validation, refurbishment checks, disposal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from devices import erasure_coverage, lifecycle, services
from devices.forms.processing import DisposeForm, ErasureForm, MediumForm, RefurbishmentForm
from devices.models import Device, Erasure, StorageMedium
from kierratys.forms import show_refusal
from kierratys.messages import messages_from_error, messages_from_form
from kierratys.roles import TECHNICIAN, role_required

ERASURE_PASSED = _("Tyhjennys kirjattu: laite %(code)s on nyt tyhjennetty.")
MEDIUM_ERASED_MORE_TO_DO = _(
    "Tyhjennys kirjattu tallennusvälineelle %(medium)s. Laitteella %(code)s on vielä "
    "tyhjennettävää: %(remaining)s."
)
ERASURE_AWAITS_VALIDATION = _(
    "Tyhjennys kirjattu tallennusvälineelle %(medium)s. Toisen teknikon on vielä "
    "tarkastettava se, ennen kuin laite %(code)s lasketaan tyhjennetyksi."
)
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
MEDIUM_ADDED = _("Tallennusväline %(medium)s lisätty laitteelle %(code)s.")
MEDIUM_REMOVED = _("Tallennusväline %(medium)s poistettu laitteelta %(code)s.")
ERASURE_VALIDATED = _("Tyhjennys tarkastettu: %(medium)s (laite %(code)s).")
ERASURE_VALIDATED_DEVICE_ERASED = _(
    "Tyhjennys tarkastettu: %(medium)s. Laite %(code)s on nyt tyhjennetty."
)


def _device_page(device):
    # The device page belongs to the device views; until it exists, the queue is home.
    try:
        return device.get_absolute_url()
    except NoReverseMatch:
        return reverse("devices:workqueue")


def _media_page(device):
    return f"{_device_page(device)}#media"


def _requested_medium(request, coverage):
    """The medium named by ?medium=<pk> among the device's, or None."""
    wanted = request.GET.get("medium", "")
    return next((item.medium for item in coverage if str(item.medium.pk) == wanted), None)


def _media_list(media):
    return ", ".join(
        str(medium) if medium else str(lifecycle.MEDIUM_NOT_RECORDED) for medium in media
    )


def _on_new_medium_fields(error):
    """A refusal of medium_add shown on the form's fields for the new medium."""
    if not hasattr(error, "error_dict"):
        return error
    names = {
        "kind": "new_medium_kind",
        "serial_number": "new_medium_serial",
        "model": "new_medium_model",
    }
    return ValidationError(
        {names.get(field, field): errors for field, errors in error.error_dict.items()}
    )


def _after_erasure(request, device, erasure):
    """Say what the erasure did, and go where the technician is needed next."""
    device.refresh_from_db()
    params = {"code": device.inventory_code, "medium": erasure.medium}
    if device.status == Device.Status.DISPOSED:
        params["reason"] = device.get_disposal_reason_display()
        messages.success(request, ERASURE_DESTROYED % params)
    elif erasure.result == Erasure.Result.FAILED:
        messages.warning(request, ERASURE_FAILED % params)
    elif device.status == Device.Status.ERASED:
        messages.success(request, ERASURE_PASSED % params)
    else:
        coverage = erasure_coverage.media_coverage(device)
        waiting = [
            item.medium for item in coverage if not item.erased and not item.awaiting_validation
        ]
        if waiting:
            messages.info(
                request, MEDIUM_ERASED_MORE_TO_DO % {**params, "remaining": _media_list(waiting)}
            )
            return redirect(
                reverse("devices:erasure_create", kwargs={"code": device.inventory_code})
            )
        messages.info(request, ERASURE_AWAITS_VALIDATION % params)
    return redirect("devices:workqueue")


@role_required(TECHNICIAN)
def erasure_create(request, code):
    """Log an erasure attempt of one medium; the technician is the logged-in user."""
    device = get_object_or_404(Device.objects.select_related("batch__donor"), inventory_code=code)
    coverage = erasure_coverage.media_coverage(device)
    form = ErasureForm(
        request.POST or None,
        device=device,
        technician=request.user,
        media=coverage,
        medium=_requested_medium(request, coverage),
    )
    if request.method == "POST" and form.is_valid():
        new_medium = form.new_medium()
        try:
            # The medium recorded with it stays only if the erasure is recorded too.
            with transaction.atomic():
                data = form.cleaned_data
                if new_medium is not None:
                    data["medium"] = services.medium_add(
                        device=device, actor=request.user, **new_medium
                    )
                erasure = services.erasure_record(device=device, actor=request.user, **data)
        except ValidationError as error:
            show_refusal(form, _on_new_medium_fields(error) if new_medium else error)
        else:
            return _after_erasure(request, device, erasure)
    attempts = device.erasures.select_related("technician", "medium").order_by("-recorded_at")
    return render(
        request,
        "devices/erasure_form.html",
        {
            "device": device,
            "form": form,
            "coverage": coverage,
            "attempts": attempts,
            "can_erase": lifecycle.ERASURE in lifecycle.allowed_actions(device),
            "dispose_form": DisposeForm(),
        },
    )


@require_POST
@role_required(TECHNICIAN)
def medium_add(request, code):
    """Record a storage medium found in the device."""
    device = get_object_or_404(Device, inventory_code=code)
    form = MediumForm(request.POST, prefix="medium", instance=StorageMedium(device=device))
    if not form.is_valid():
        messages_from_form(request, form)
        return redirect(_media_page(device))
    try:
        medium = services.medium_add(device=device, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages_from_error(request, error)
    else:
        messages.success(request, MEDIUM_ADDED % {"medium": medium, "code": device.inventory_code})
    return redirect(_media_page(device))


@require_POST
@role_required(TECHNICIAN)
def medium_remove(request, code, pk):
    """Remove a medium recorded by mistake (one with erasures stays)."""
    medium = get_object_or_404(StorageMedium, pk=pk, device__inventory_code=code)
    device = medium.device
    try:
        services.medium_remove(medium=medium, actor=request.user)
    except ValidationError as error:
        messages_from_error(request, error)
    else:
        messages.success(
            request, MEDIUM_REMOVED % {"medium": medium, "code": device.inventory_code}
        )
    return redirect(_media_page(device))


@require_POST
@role_required(TECHNICIAN)
def erasure_validate(request, code, pk):
    """A second technician confirms a passed erasure; the service refuses one's own."""
    erasure = get_object_or_404(
        Erasure.objects.select_related("device", "medium"), pk=pk, device__inventory_code=code
    )
    device = erasure.device
    try:
        services.erasure_validate(erasure=erasure, actor=request.user)
    except ValidationError as error:
        messages_from_error(request, error)
        return redirect(_media_page(device))
    device.refresh_from_db()
    params = {"medium": erasure.medium, "code": device.inventory_code}
    if device.status == Device.Status.ERASED:
        messages.success(request, ERASURE_VALIDATED_DEVICE_ERASED % params)
    else:
        messages.success(request, ERASURE_VALIDATED % params)
    return redirect(_media_page(device))


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
        # The lifecycle's refusal names the media still to erase.
        messages_from_error(request, error)
        return redirect(f"{_device_page(device)}#dispose")
    messages.success(
        request,
        DISPOSED % {"code": device.inventory_code, "reason": device.get_disposal_reason_display()},
    )
    return redirect("devices:workqueue")
