"""Corrections: a technician corrects a device's intake data with a reason; a batch's donor or
staff change its details, and its donor or a coordinator cancel it, until it is received.

A donor user reaches only his or her organisations' batches (another batch's URL is a 404).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from devices import selectors, services
from devices.forms.batches import BatchDetailsForm
from devices.forms.corrections import BatchCancelForm, DeviceCorrectionForm
from devices.models import Device, DonationBatch
from kierratys.forms import show_refusal
from kierratys.messages import messages_from_error
from kierratys.roles import COORDINATOR, DONOR, TECHNICIAN, role_required

DEVICE_CORRECTED = _("Laitteen %(code)s tiedot on korjattu. Korjaus näkyy laitteen historiassa.")
BATCH_SAVED = _("Erän %(reference)s tiedot on tallennettu.")
BATCH_CANCELLED = _("Erä %(reference)s on peruttu.")


@role_required(TECHNICIAN)
def device_correct(request, code):
    """Correct what was typed at intake (never the status), with the reason for the history."""
    device = get_object_or_404(Device.objects.select_related("batch"), inventory_code=code)
    # The form validates its own copy: the page keeps showing the device as saved.
    form = DeviceCorrectionForm(request.POST or None, instance=Device.objects.get(pk=device.pk))
    if request.method == "POST" and form.is_valid():
        try:
            device = services.device_correct(
                device=device,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                **form.device_fields(),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, DEVICE_CORRECTED % {"code": device.inventory_code})
            return redirect(device)
    return render(request, "devices/device_correct.html", {"device": device, "form": form})


def _visible_batch(request, reference):
    return get_object_or_404(selectors.batches_visible_to(request.user), reference=reference)


@role_required(TECHNICIAN, DONOR)
def batch_edit(request, reference):
    """Change what was declared of a batch, by its donor or staff, until it is received."""
    batch = _visible_batch(request, reference)
    if batch.status != DonationBatch.Status.REGISTERED:
        params = {"reference": batch.reference, "status": batch.get_status_display()}
        messages.error(request, services.BATCH_NOT_EDITABLE % params)
        return redirect(batch)
    form = BatchDetailsForm(request.POST or None, instance=DonationBatch.objects.get(pk=batch.pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.BATCH_DETAIL_FIELDS}
        try:
            batch = services.batch_update(batch=batch, actor=request.user, **fields)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, BATCH_SAVED % {"reference": batch.reference})
            return redirect(batch)
    return render(request, "devices/donationbatch_edit.html", {"batch": batch, "form": form})


@require_POST
@role_required(COORDINATOR, DONOR)
def batch_cancel(request, reference):
    """Cancel a registered batch with a reason: its donor's user, or a coordinator."""
    batch = _visible_batch(request, reference)
    form = BatchCancelForm(request.POST)
    # The form is always valid: the rules on the reason are the service's.
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        batch = services.batch_cancel(batch=batch, actor=request.user, reason=reason)
    except ValidationError as error:
        messages_from_error(request, error)
    else:
        messages.success(request, BATCH_CANCELLED % {"reference": batch.reference})
    return redirect(batch)
