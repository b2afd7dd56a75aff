"""Reserve, cancel, hand over, take back, print the receipt, list overdue loans."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from clients import selectors, services
from clients.access_log import access_log_record
from clients.documents import handover_receipt_pdf
from clients.forms import HandoverCompleteForm, HandoverReturnForm
from clients.handover_rules import NOT_RESERVED
from clients.loans import DUE_SOON_DAYS, loans_due_soon
from clients.models import AccessLog, Handover
from clients.selectors import clients_visible_to, needs_large_screen
from devices.lifecycle import current_passed_erasure
from devices.models import Device
from kierratys.forms import show_refusal
from kierratys.messages import messages_from_error, messages_from_form
from kierratys.pdf import pdf_response
from kierratys.roles import COACH, role_required

DEVICE_NOT_FOUND = _("Laitetta ei löytynyt.")
RESERVED = _("Laite %(code)s on varattu asiakkaalle %(client)s.")
CANCELLED = _("Varaus on peruttu. Laite %(code)s on taas vapaana.")
HANDED_OVER = _(
    "Laite on luovutettu. Kuitin numero on %(number)s. Tulosta kuitti ja allekirjoittakaa se."
)
RETURNED = _("Laina on palautettu. Laite %(code)s menee tietojen tyhjennykseen.")
NO_RECEIPT_YET = _("Kuitti syntyy, kun laite luovutetaan.")
# The handover's two steps (the buttons' values) and their pages.
STEP_CONFIRM = "confirm"
LARGE_PRINT_PARAMETER = "suuri"
STEP_BACK = "back"
FORM_TEMPLATE = "clients/handover_form.html"
CONFIRM_TEMPLATE = "clients/handover_confirm.html"
# The overdue list shows this many loans due soon (the overdue ones are paged).
DUE_SOON_SHOWN = 100


def _visible_handover(request, pk):
    return get_object_or_404(
        selectors.handovers_visible_to(request.user).select_related("client", "device"), pk=pk
    )


@role_required(COACH)
@require_POST
def handover_reserve(request, code):
    """Reserve the posted device for the client (the client page's "Varaa" button)."""
    client = get_object_or_404(clients_visible_to(request.user), code=code)
    device = Device.objects.filter(inventory_code=request.POST.get("device", "").strip()).first()
    if device is None:
        messages.error(request, DEVICE_NOT_FOUND)
        return redirect(client)
    try:
        services.handover_reserve(client=client, device=device, actor=request.user)
    except ValidationError as error:
        messages_from_error(request, error)
    else:
        messages.success(
            request,
            RESERVED % {"code": device.inventory_code, "client": client.code},
        )
    return redirect(client)


@role_required(COACH)
@require_POST
def handover_cancel(request, pk):
    handover = _visible_handover(request, pk)
    try:
        services.handover_cancel(handover=handover, actor=request.user)
    except ValidationError as error:
        messages_from_error(request, error)
    else:
        messages.success(
            request,
            CANCELLED % {"code": handover.device.inventory_code},
        )
    return redirect(handover.client)


def _complete_form(request, handover):
    return HandoverCompleteForm(
        request.POST, coach=request.user, auto_id=f"handover-{handover.pk}-%s"
    )


def _render_complete(request, handover, form, *, template, status):
    terms = form.cleaned_data if template == CONFIRM_TEMPLATE else {}
    context = {
        "handover": handover,
        "client": handover.client,
        "device": handover.device,
        "form": form,
        "terms": terms,
        "kind_label": Handover.Kind(terms["kind"]).label if terms else "",
        "backdated": bool(terms) and terms["handed_over_on"] != timezone.localdate(),
        "erasure": current_passed_erasure(handover.device, as_of=handover.reserved_at),
        "large_print": needs_large_screen(handover.client),
    }
    return render(request, template, context, status=status)


@role_required(COACH)
@require_POST
def handover_complete(request, pk):
    """Hand over in two steps: the terms, then what will be printed; only the second numbers.

    A refused step shows the form again with what the coach typed and the refusal on its
    field (a due date with a gift, a day too far back), never a redirect that loses it.
    """
    handover = _visible_handover(request, pk)
    if handover.status != Handover.Status.RESERVED:
        # A second click on "Vahvista luovutus" (or a colleague was quicker): the client
        # page shows what was recorded.
        messages.error(request, NOT_RESERVED % {"status": handover.get_status_display()})
        return redirect(handover.client)
    form = _complete_form(request, handover)
    step = request.POST.get("step")
    if step == STEP_BACK:
        # "Takaisin" on the confirmation page: the terms again, as the coach left them.
        return _render_complete(request, handover, form, template=FORM_TEMPLATE, status=200)
    if not form.is_valid():
        return _render_complete(request, handover, form, template=FORM_TEMPLATE, status=400)
    try:
        if step == STEP_CONFIRM:
            handover = services.handover_complete(
                handover=handover, actor=request.user, **form.cleaned_data
            )
        else:
            terms = {k: v for k, v in form.cleaned_data.items() if k != "coach_phone"}
            services.handover_complete_check(handover=handover, **terms)
    except ValidationError as error:
        show_refusal(form, error)
        return _render_complete(request, handover, form, template=FORM_TEMPLATE, status=400)
    if step != STEP_CONFIRM:
        return _render_complete(request, handover, form, template=CONFIRM_TEMPLATE, status=200)
    messages.success(request, HANDED_OVER % {"number": handover.receipt_number})
    return redirect(handover.client)


@role_required(COACH)
@require_POST
def handover_return(request, pk):
    handover = _visible_handover(request, pk)
    form = HandoverReturnForm(request.POST)
    if not form.is_valid():
        messages_from_form(request, form)
        return redirect(handover.client)
    try:
        services.handover_return(handover=handover, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages_from_error(request, error)
    else:
        messages.success(
            request,
            RETURNED % {"code": handover.device.inventory_code},
        )
    return redirect(handover.client)


@role_required(COACH)
@require_GET
def handover_receipt(request, pk):
    """The receipt PDF; opening it is logged as a read of the client's personal data."""
    handover = _visible_handover(request, pk)
    if handover.receipt_number is None:
        # A reservation has no receipt yet.
        messages.error(request, NO_RECEIPT_YET)
        return redirect(handover.client)
    access_log_record(client=handover.client, user=request.user, action=AccessLog.Action.RECEIPT)
    # ?suuri=1: large print by choice (it is always large for a client with weak sight).
    large_print = request.GET.get(LARGE_PRINT_PARAMETER) == "1"
    return pdf_response(
        handover_receipt_pdf(handover, large_print=large_print), f"{handover.receipt_number}.pdf"
    )


@role_required(COACH)
@require_GET
def overdue_loans(request):
    today = timezone.localdate()
    page = Paginator(selectors.overdue_loans(request.user, today=today), 50).get_page(
        request.GET.get("page")
    )
    for handover in page.object_list:
        handover.days_overdue = (today - handover.due_date).days
    due_soon = list(loans_due_soon(request.user, today=today)[: DUE_SOON_SHOWN + 1])
    for handover in due_soon:
        handover.days_left = (handover.due_date - today).days
    context = {
        "page": page,
        "today": today,
        "due_soon": due_soon[:DUE_SOON_SHOWN],
        "due_soon_more": len(due_soon) > DUE_SOON_SHOWN,
        "due_soon_days": DUE_SOON_DAYS,
    }
    return render(request, "clients/overdue_loans.html", context)
