"""Technician pages of erasure evidence: uploading a day's wipe-tool reports, and staff
downloading an original report."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from devices import services
from devices.forms.evidence import EvidenceUploadForm
from devices.models import EvidenceFile
from kierratys.roles import TECHNICIAN, role_required

FILES_IMPORTED = ngettext_lazy("%(count)s tiedosto tuotu.", "%(count)s tiedostoa tuotu.", "count")
FILES_REFUSED = ngettext_lazy(
    "%(count)s tiedosto jäi tuomatta: syy on taulukossa. Muut tiedostot tuotiin.",
    "%(count)s tiedostoa jäi tuomatta: syyt ovat taulukossa. Muut tiedostot tuotiin.",
    "count",
)
DRY_RUN_DONE = _("Kokeilu: mitään ei kirjattu. Lähetä tiedostot uudelleen ilman kokeilua.")
CONTENT_TYPES = {
    EvidenceFile.Kind.NWIPE_PDF: "application/pdf",
    EvidenceFile.Kind.WORKBENCH_JSON: "application/json",
    EvidenceFile.Kind.NWIPE_LOG: "text/plain; charset=utf-8",
}


@role_required(TECHNICIAN)
def evidence_import(request):
    """Upload several reports at once; each is matched and recorded, or listed with why not."""
    posted = request.method == "POST"
    form = EvidenceUploadForm(request.POST if posted else None, request.FILES if posted else None)
    outcome = None
    if posted and form.is_valid():
        files = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
        outcome = services.evidence_import(
            files=files, actor=request.user, dry_run=form.cleaned_data["dry_run"]
        )
        if outcome.dry_run:
            messages.info(request, DRY_RUN_DONE)
        elif outcome.imported:
            messages.success(request, FILES_IMPORTED % {"count": len(outcome.imported)})
        if outcome.refused:
            messages.warning(request, FILES_REFUSED % {"count": len(outcome.refused)})
        form = EvidenceUploadForm()
    status = 400 if posted and outcome is None else 200
    return render(
        request,
        "devices/evidence_import.html",
        {"form": form, "outcome": outcome},
        status=status,
    )


@role_required(TECHNICIAN)
def evidence_download(request, pk):
    """The original report as uploaded, streamed from storage (filesystem or S3)."""
    record = get_object_or_404(EvidenceFile, pk=pk)
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=record.original_name,
        content_type=CONTENT_TYPES.get(record.kind, "application/octet-stream"),
    )
