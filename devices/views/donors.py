"""Donor organisations, kept by coordinators: list with search, add, edit, and a donor's page
with its batches and the users who act for it (their accounts are managed in accounts)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from devices import selectors, services
from devices.forms.donors import DonorForm
from devices.models import Donor
from kierratys.forms import show_refusal
from kierratys.roles import COORDINATOR, role_required

PAGE_SIZE = 50

DONOR_CREATED = _("Lahjoittaja %(name)s on lisätty.")
DONOR_SAVED = _("Lahjoittajan %(name)s tiedot on tallennettu.")


@role_required(COORDINATOR)
def donor_list(request):
    """Every donor, searchable by name, business ID, contact person or e-mail."""
    query = request.GET.get("q", "").strip()
    donors = selectors.donor_list(search=query)
    page = Paginator(donors, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "devices/donor_list.html",
        {"page": page, "q": query, "query": urlencode({"q": query}) if query else ""},
    )


@role_required(COORDINATOR)
def donor_detail(request, pk):
    """A donor's details, its batches newest first with their progress, and its users."""
    donor = get_object_or_404(Donor, pk=pk)
    batches = Paginator(selectors.donor_batches(donor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "devices/donor_detail.html",
        {
            "donor": donor,
            "page": batches,
            "rows": [(batch, selectors.state_counts(batch)) for batch in batches],
            "members": donor.users.order_by("last_name", "first_name", "username"),
        },
    )


@role_required(COORDINATOR)
def donor_create(request):
    form = DonorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            donor = services.donor_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, DONOR_CREATED % {"name": donor.name})
            return redirect(donor)
    return render(request, "devices/donor_form.html", {"form": form, "donor": None})


@role_required(COORDINATOR)
def donor_edit(request, pk):
    donor = get_object_or_404(Donor, pk=pk)
    # The form validates its own copy: the page keeps the donor's saved name meanwhile.
    form = DonorForm(request.POST or None, instance=Donor.objects.get(pk=donor.pk))
    if request.method == "POST" and form.is_valid():
        try:
            donor = services.donor_update(donor=donor, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, DONOR_SAVED % {"name": donor.name})
            return redirect(donor)
    return render(request, "devices/donor_form.html", {"form": form, "donor": donor})
