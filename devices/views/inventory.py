"""The device list and the device page (staff only: donors follow progress on their batch page)."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from devices import device_page, erasure_coverage, selectors
from devices.forms.filters import DeviceFilterForm
from devices.forms.processing import MediumForm
from devices.list_rows import check_rows_html, device_rows_html, erasure_rows_html
from devices.models import DonationBatch, EvidenceFile, StorageMedium
from devices.services.processing import VALIDATOR_IS_TECHNICIAN
from devices.timelines import device_timeline
from kierratys.listing import KeyFirstPaginator
from kierratys.roles import COACH, TECHNICIAN, is_technician, role_required

PAGE_SIZE = 50
# The blank add-medium form's fields, per language: the form is never bound on the device
# page (a refused one is shown on its own page) and holds no CSRF token or other per-request
# value, so its HTML is the same for every request in a language.
_BLANK_MEDIUM_FIELDS = {}


def blank_medium_fields():
    """The fields of a blank MediumForm(prefix="medium") as _form_fields.html renders them."""
    language = get_language()
    if language not in _BLANK_MEDIUM_FIELDS:
        _BLANK_MEDIUM_FIELDS[language] = render_to_string(
            "_form_fields.html", {"form": MediumForm(prefix="medium")}
        )
    return _BLANK_MEDIUM_FIELDS[language]


@role_required(TECHNICIAN, COACH)
def device_list(request):
    """Search and filter every device; a selection can be printed as a label sheet."""
    form = DeviceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    wanted = {
        "search": filters.get("q") or "",
        "status": filters.get("status") or "",
        "category": filters.get("category") or "",
        "batch": filters.get("batch") or "",
        "donor": filters.get("donor") or "",
    }
    # Page 1000 of 100,000 devices: ~100 ms with a plain OFFSET, ~1 ms by key first.
    paginator = KeyFirstPaginator(
        selectors.device_list(**wanted),
        PAGE_SIZE,
        read_rows=selectors.device_list_rows,
        count=selectors.device_list_count(**wanted),
    )
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    rows = device_rows_html(page.object_list, technician=is_technician(request.user))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "devices/device_list.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


@role_required(TECHNICIAN, COACH)
def device_detail(request, code):
    """All facts of a device, its erasure attempts and checks, and its history as a story."""
    # The page's queries are compiled once (devices.device_page): only the device differs.
    device = device_page.device_by_code(code)
    erasures = device_page.erasures_of(device)
    checks = device_page.checks_of(device)
    # Each medium with its erasure state, from the attempts read above: one query, which also
    # gives the attempts their media.
    coverage = erasure_coverage.media_coverage(device, erasures=erasures)
    # The story names the batch, media and evidence read above; and the people who logged,
    # erased, validated and checked are read with the story's own, in one query.
    timeline = device_timeline(
        device,
        known={
            DonationBatch: [device.batch],
            StorageMedium: [item.medium for item in coverage],
            EvidenceFile: [erasure.evidence for erasure in erasures if erasure.evidence_id],
        },
        also_name=[device, *erasures, *checks],
    )
    technician = is_technician(request.user)
    return render(
        request,
        "devices/device_detail.html",
        {
            "device": device,
            "erasures": erasures,
            "erasure_rows": erasure_rows_html(erasures),
            "checks": checks,
            "check_rows": check_rows_html(checks),
            "timeline": timeline,
            "coverage": coverage,
            "medium_fields": blank_medium_fields() if technician else "",
            "validation_required": erasure_coverage.validation_required(),
            "own_erasure_refusal": VALIDATOR_IS_TECHNICIAN,
        },
    )
