"""Documents of the devices app: barcode labels (an A4 sheet for a selection or a whole batch,
a thermal label for one device) and a batch's erasure certificate."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from devices import documents, inventory_codes, selectors
from devices.models import Device, DonationBatch
from devices.services.certificates import certificate_issue
from kierratys.pdf import pdf_response
from kierratys.roles import DONOR, TECHNICIAN, role_required

NOTHING_SELECTED = _("Valitse ainakin yksi laite, jolle tulostetaan tarra.")
BATCH_HAS_NO_DEVICES = _("Erään %(reference)s ei ole vielä kirjattu laitteita.")


@role_required(TECHNICIAN)
def labels_sheet(request):
    """POST `code` (one per selected device) or GET `?batch=REF`: an A4 sheet PDF."""
    if request.method == "POST":
        codes = {inventory_codes.normalise(code) for code in request.POST.getlist("code")}
        devices = Device.objects.filter(inventory_code__in=codes).order_by("inventory_code")
        filename = "tarrat.pdf"
        if not devices:
            messages.error(request, NOTHING_SELECTED)
            back = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                back = "devices:device_list"
            return redirect(back)
    else:
        batch = get_object_or_404(DonationBatch, reference=request.GET.get("batch", ""))
        devices = batch.devices.order_by("logged_at", "pk")
        filename = f"tarrat-{batch.reference}.pdf"
        if not devices:
            messages.error(request, BATCH_HAS_NO_DEVICES % {"reference": batch.reference})
            return redirect(batch)
    return pdf_response(documents.label_sheet_pdf(list(devices)), filename)


@role_required(TECHNICIAN)
def label_single(request, code):
    device = get_object_or_404(Device, inventory_code=code)
    return pdf_response(documents.thermal_label_pdf(device), f"tarra-{device.inventory_code}.pdf")


@role_required(TECHNICIAN, DONOR)
def batch_certificate(request, reference):
    """A batch's erasure certificate, issued now: donors get their own, technicians and
    coordinators all."""
    batch = selectors.batches_visible_to(request.user).filter(reference=reference).first()
    if batch is None:
        raise Http404
    # Issued as the one who downloads it: the latest certificate while the figures hold.
    certificate = certificate_issue(batch=batch, actor=request.user)
    return pdf_response(
        documents.certificate_pdf(certificate), documents.certificate_filename(certificate)
    )
