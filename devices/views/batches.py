"""Donation batches: register, list, receive, log devices, import and export device lists.

A donor user reaches only his or her organisations' batches (another batch's
URL is a 404); technicians and coordinators reach all.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from devices import exports, selectors, services
from devices.forms.batches import BatchRegisterForm
from devices.forms.intake import DeviceIntakeForm
from devices.models import Device, DonationBatch
from devices.timelines import batch_timeline
from devices.views.imports import (
    BATCH_REGISTERED_LIST_WAITING,
    DONOR_LIST,
    read_upload,
    store_upload,
)
from kierratys import roles
from kierratys.forms import show_refusal
from kierratys.messages import messages_from_error
from kierratys.roles import DONOR, TECHNICIAN, role_required

PAGE_SIZE = 50

BATCH_REGISTERED = _("Erä %(reference)s on ilmoitettu. Kiitos lahjoituksesta!")
BATCH_RECEIVED = _("Erä %(reference)s on merkitty vastaanotetuksi. Kirjaa laitteet.")
BATCH_PROCESSED = _("Erä %(reference)s on merkitty käsitellyksi.")
DEVICE_LOGGED = _("Laite %(code)s (%(model)s) on kirjattu.")
LIST_COMPLETE = _("Lahjoittajan listan kaikki %(count)s laitetta on nyt kirjattu.")
NO_DONOR_ORGANISATION = _(
    "Käyttäjätunnustasi ei ole liitetty lahjoittajaorganisaatioon. Ota yhteyttä koordinaattoriin."
)


@role_required(TECHNICIAN, DONOR)
def batch_list(request):
    """Every batch for staff; a donor's own organisations' batches for a donor."""
    batches = selectors.with_state_counts(selectors.batches_visible_to(request.user))
    status = request.GET.get("status", "")
    if status in DonationBatch.Status.values:
        batches = batches.filter(status=status)
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "devices/donationbatch_list.html",
        {
            "page": page,
            "rows": [(batch, selectors.state_counts(batch)) for batch in page],
            "status": status,
            "statuses": DonationBatch.Status.choices,
        },
    )


@role_required(TECHNICIAN, DONOR)
def batch_register(request):
    """Register a batch: staff for any donor, a donor user for his or her own organisation."""
    staff = roles.is_staff_member(request.user)
    donors = selectors.donors_of(request.user)
    if not staff and not donors.exists():
        messages.error(request, NO_DONOR_ORGANISATION)
        return redirect("home")
    form = BatchRegisterForm(
        request.POST or None,
        request.FILES or None,
        donors=donors,
        choose_donor=staff,
        initial={"donor": request.GET.get("donor")},
    )
    if request.method == "POST" and form.is_valid():
        # An unreadable list is refused here, before any batch exists; a readable one
        # is kept for the preview that follows, where the donor confirms its rows.
        content = read_upload(form, "device_list")
        if not form.errors:
            return _register(
                request, form, donor=form.cleaned_data.get("donor") or donors.get(), content=content
            )
    return render(request, "devices/donationbatch_form.html", {"form": form})


def _register(request, form, *, donor, content):
    values = {name: form.cleaned_data[name] for name in form.Meta.fields}
    upload = form.cleaned_data.get("device_list")
    # One transaction: a batch registered with a list never lacks the list's preview.
    with transaction.atomic():
        batch = services.batch_register(donor=donor, actor=request.user, **values)
        if upload:
            preview_url = store_upload(
                user=request.user, batch=batch, flow=DONOR_LIST, upload=upload, content=content
            )
    if not upload:
        messages.success(request, BATCH_REGISTERED % {"reference": batch.reference})
        return redirect(batch)
    messages.success(request, BATCH_REGISTERED_LIST_WAITING % {"reference": batch.reference})
    return redirect(preview_url)


@role_required(TECHNICIAN, DONOR)
def batch_detail(request, reference):
    """A batch with its devices' progress; staff also get the intake tools."""
    batch = selectors.batch_for(request.user, reference)
    devices = selectors.batch_devices(batch)
    page = Paginator(devices, PAGE_SIZE).get_page(request.GET.get("page"))
    list_items = list(batch.list_items.select_related("device").order_by("row_number"))
    category_labels = dict(Device.Category.choices)
    for item in list_items:
        item.category_label = category_labels.get(item.category, item.category)
    return render(
        request,
        "devices/donationbatch_detail.html",
        {
            "batch": batch,
            "counts": selectors.state_counts(batch),
            "page": page,
            "list_items": list_items,
            "list_complete_message": LIST_COMPLETE % {"count": len(list_items)}
            if list_items and all(item.device_id for item in list_items)
            else "",
            # The user's own uploads of this batch waiting for their preview's confirmation.
            "pending_imports": list(
                batch.pending_imports.visible_to(request.user)
                .fresh()
                .only("pk", "purpose", "created_at")
            ),
            "is_staff_member": roles.is_staff_member(request.user),
            "can_receive": batch.status == DonationBatch.Status.REGISTERED,
            # Until it is received, its donor (and staff) may change it, and cancel it.
            "can_edit": batch.status == DonationBatch.Status.REGISTERED
            and services.may_edit_batch(request.user, batch),
            "can_cancel": batch.status == DonationBatch.Status.REGISTERED
            and services.may_cancel_batch(request.user, batch),
            "reason_max_length": services.REASON_MAX_LENGTH,
            "can_log": batch.status == DonationBatch.Status.RECEIVED,
            # Staff only: the story names the staff who did each step.
            "batch_timeline": batch_timeline(batch)
            if roles.is_staff_member(request.user)
            else None,
        },
    )


@require_POST
@role_required(TECHNICIAN)
def batch_receive(request, reference):
    batch = get_object_or_404(DonationBatch, reference=reference)
    try:
        batch = services.batch_receive(batch=batch, actor=request.user)
    except ValidationError as error:
        messages_from_error(request, error)
        return redirect(batch)
    messages.success(request, BATCH_RECEIVED % {"reference": batch.reference})
    return redirect("devices:device_intake", reference=batch.reference)


@role_required(TECHNICIAN)
def device_intake(request, reference):
    """Log one device; "save and add next" comes back here with the next list row prefilled."""
    batch = get_object_or_404(DonationBatch.objects.select_related("donor"), reference=reference)
    if batch.status != DonationBatch.Status.RECEIVED:
        messages.error(request, services.BATCH_NOT_OPEN_FOR_INTAKE % {"reference": batch.reference})
        return redirect(batch)
    item = None
    if request.method == "POST":
        form = DeviceIntakeForm(request.POST)
        if form.is_valid():
            list_item = None
            if form.cleaned_data.get("list_item"):
                list_item = batch.list_items.filter(
                    pk=form.cleaned_data["list_item"], device__isnull=True
                ).first()
            try:
                device = services.device_intake(
                    batch=batch, actor=request.user, list_item=list_item, **form.device_fields()
                )
            except ValidationError as error:
                show_refusal(form, error)
            else:
                messages.success(
                    request, DEVICE_LOGGED % {"code": device.inventory_code, "model": device.model}
                )
                if list_item is not None and not batch.list_items.filter(device=None).exists():
                    messages.success(request, LIST_COMPLETE % {"count": batch.list_items.count()})
                if "done" in request.POST:
                    return redirect(device)
                return redirect(
                    reverse("devices:device_intake", kwargs={"reference": batch.reference})
                    + f"?last={device.inventory_code}"
                )
    else:
        item = selectors.next_list_item(batch)
        initial = {}
        if item is not None:
            initial = {
                "list_item": item.pk,
                "category": item.category,
                "manufacturer": item.manufacturer,
                "model": item.model,
                "serial_number": item.serial_number,
                "asset_tag": item.asset_tag,
            }
        form = DeviceIntakeForm(initial=initial)
    last = request.GET.get("last", "")
    return render(
        request,
        "devices/device_intake.html",
        {
            "batch": batch,
            "form": form,
            "logged_count": batch.devices.count(),
            "last_code": last if batch.devices.filter(inventory_code=last).exists() else "",
            "list_item": item,
        },
    )


@require_GET
@role_required(TECHNICIAN)
def batch_export(request, reference):
    """The batch's devices as CSV or XLSX; cells that would run as formulas are neutralised."""
    batch = get_object_or_404(DonationBatch, reference=reference)
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    dataset = exports.batch_device_table(selectors.batch_devices(batch))
    if file_format == "xlsx":
        content = dataset.export("xlsx")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        # A BOM so that Excel opens the UTF-8 file with ä and ö intact.
        content = "\ufeff" + dataset.export("csv")
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{batch.reference}.{file_format}"'
    return response


@require_POST
@role_required(TECHNICIAN)
def batch_mark_processed(request, reference):
    batch = get_object_or_404(DonationBatch, reference=reference)
    try:
        batch = services.batch_mark_processed(batch=batch, actor=request.user)
    except ValidationError as error:
        messages_from_error(request, error)
    else:
        messages.success(request, BATCH_PROCESSED % {"reference": batch.reference})
    return redirect(batch)
