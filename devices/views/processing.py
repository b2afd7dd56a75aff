"""Technician pages: erasure log, refurbishment check, disposal, work queue; the certificate."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from devices import certificates, inventory_codes, lifecycle, processing, workqueue
from devices.models import Device, DonationBatch, Erasure
from devices.processing_forms import DisposeForm, ErasureForm, RefurbishmentForm
from devices.views.scanning import SCAN_INVALID, SCAN_UNKNOWN
from kierratys.pdf import pdf_response
from kierratys.roles import DONOR, TECHNICIAN, is_technician, role_required

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
QUEUE_SCAN_NOTHING_TO_DO = _(
    "Laite %(code)s on tilassa ”%(status)s”: sillä ei ole tyhjennettävää eikä kunnostettavaa."
)
QUEUE_LENGTH = 50


def _device_page(device):
    # The device page belongs to the device views; until it exists, the queue is home.
    try:
        return device.get_absolute_url()
    except NoReverseMatch:
        return reverse("devices:workqueue")


def _error_messages(error):
    return error.messages if isinstance(error, ValidationError) else [str(error)]


@role_required(TECHNICIAN)
def erasure_create(request, code):
    """Log an erasure attempt; the technician is the logged-in user."""
    device = get_object_or_404(Device.objects.select_related("batch__donor"), inventory_code=code)
    form = ErasureForm(request.POST or None, device=device, technician=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            erasure = processing.erasure_record(device=device, actor=request.user, **data)
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
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
            "can_erase": device.status == Device.Status.RECEIVED,
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
            check = processing.refurbishment_record(
                device=device, actor=request.user, checked_at=timezone.now(), **data
            )
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
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
            "can_refurbish": device.status == Device.Status.ERASED,
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
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_device_page(device))
    try:
        device = lifecycle.device_dispose(
            device=device, actor=request.user, disposal_reason=form.cleaned_data["disposal_reason"]
        )
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
        return redirect(_device_page(device))
    messages.success(
        request,
        DISPOSED % {"code": device.inventory_code, "reason": device.get_disposal_reason_display()},
    )
    return redirect("devices:workqueue")


@role_required(TECHNICIAN)
def workqueue_page(request):
    """Devices waiting for erasure, failed attempts and devices waiting for refurbishment."""
    counts = workqueue.workqueue_counts()
    sections = [
        {
            "key": "erasure",
            "title": _("Odottaa tyhjennystä"),
            "devices": workqueue.waiting_for_erasure()[:QUEUE_LENGTH],
            "count": counts["erasure"],
            "action": "devices:erasure_create",
        },
        {
            "key": "failed",
            "title": _("Tyhjennys epäonnistui"),
            "devices": workqueue.failed_erasures()[:QUEUE_LENGTH],
            "count": counts["failed"],
            "action": "devices:erasure_create",
        },
        {
            "key": "refurbishment",
            "title": _("Odottaa kunnostusta"),
            "devices": workqueue.waiting_for_refurbishment()[:QUEUE_LENGTH],
            "count": counts["refurbishment"],
            "action": "devices:refurbishment_create",
        },
    ]
    return render(
        request,
        "devices/workqueue.html",
        {"sections": sections, "counts": counts, "queue_length": QUEUE_LENGTH},
    )


@role_required(TECHNICIAN)
def workqueue_scan(request):
    """A scanned code opens the device's next step: erasure or refurbishment form."""
    raw = request.GET.get("code", "")
    code = inventory_codes.normalise(raw)
    if not inventory_codes.is_valid(code):
        messages.error(request, SCAN_INVALID % {"code": raw.strip()[:40]})
        return redirect("devices:workqueue")
    device = Device.objects.filter(inventory_code=code).only("inventory_code", "status").first()
    if device is None:
        messages.error(request, SCAN_UNKNOWN % {"code": code})
        return redirect("devices:workqueue")
    if device.status == Device.Status.RECEIVED:
        return redirect("devices:erasure_create", code=code)
    if device.status == Device.Status.ERASED:
        return redirect("devices:refurbishment_create", code=code)
    messages.warning(
        request,
        QUEUE_SCAN_NOTHING_TO_DO % {"code": code, "status": device.get_status_display()},
    )
    return redirect("devices:workqueue")


@role_required(TECHNICIAN, DONOR)
def batch_certificate(request, reference):
    """A batch's erasure certificate: donors get their own, technicians and coordinators all."""
    batches = DonationBatch.objects.all()
    if not is_technician(request.user):
        batches = batches.filter(donor__users=request.user)
    batch = batches.filter(reference=reference).first()
    if batch is None:
        raise Http404
    pdf = certificates.batch_certificate_pdf(batch)
    return pdf_response(pdf, certificates.certificate_filename(batch))
