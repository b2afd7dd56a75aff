"""Device lists imported in two steps: upload -> preview -> confirm.

The upload is kept as a PendingImport between the steps, so the file is sent
once; each preview reads it again with the user's last choices (which column is
which field, the default category, the suggested categories). Only its uploader,
or a coordinator, reaches a pending import: for anyone else it is a 404, so its
existence is not leaked. Confirming writes every importable row or none, and the
rows left out are named on the button the user presses.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.http import require_POST

from devices import import_mapping, imports, selectors, services, spreadsheets
from devices.forms.imports import DeviceImportUploadForm, ImportChoicesForm
from devices.models import BatchListItem, Device, DonationBatch, PendingImport
from kierratys.messages import messages_from_error
from kierratys.roles import DONOR, TECHNICIAN, role_required

# Rows shown on the preview; the counts always cover every row.
PREVIEW_ROW_LIMIT = 200
COUNTS_ORDER = (imports.Outcome.IMPORT, imports.Outcome.ATTENTION, imports.Outcome.LEFT_OUT)
# Rows that need the user come first in the preview's table.
ROWS_ORDER = (imports.Outcome.ATTENTION, imports.Outcome.LEFT_OUT, imports.Outcome.IMPORT)
# With more rows than this, the confirm button is repeated below the table.
ACTIONS_AGAIN_AFTER_ROWS = 10

DEVICES_IMPORTED = ngettext_lazy(
    "%(count)s laite kirjattu erään %(reference)s.",
    "%(count)s laitetta kirjattu erään %(reference)s.",
    "count",
)
LIST_ITEMS_SAVED = ngettext_lazy(
    "Laiteluetteloon tallennettiin %(count)s laite.",
    "Laiteluetteloon tallennettiin %(count)s laitetta.",
    "count",
)
ROWS_LEFT_OUT = ngettext_lazy(
    "%(count)s rivi jätettiin pois.",
    "%(count)s riviä jätettiin pois.",
    "count",
)
IMPORT_REFUSED = _(
    "Mitään ei tallennettu: alla luetellut rivit eivät käy. Korjaa valinnat tai tiedosto."
)
CHOICES_CHANGED = _(
    "Valintasi muuttuivat, joten esikatselu päivitettiin. Tarkista rivit ja vahvista uudelleen."
)
NOT_READY = _("Tuontia ei voi vielä vahvistaa: katso, mitä on korjattava.")
ALREADY_CONFIRMED = _("Tämä tuonti on jo vahvistettu tai peruttu.")
IMPORT_CANCELLED = _("Tuonti peruttiin. Mitään ei tallennettu.")
LIST_CANCELLED = _("Laiteluettelo jätettiin tallentamatta. Erä on ilmoitettu ilman sitä.")
BATCH_REGISTERED_LIST_WAITING = _(
    "Erä %(reference)s on ilmoitettu. Tarkista vielä, miten laiteluettelo luettiin, ja vahvista se."
)
ATTENTION_TO_FIX = ngettext_lazy(
    "%(count)s rivi vaatii korjausta. Valitse oikeat sarakkeet tai oletuslaji ja päivitä "
    "esikatselu, tai korjaa tiedosto ja lähetä se uudelleen.",
    "%(count)s riviä vaatii korjausta. Valitse oikeat sarakkeet tai oletuslaji ja päivitä "
    "esikatselu, tai korjaa tiedosto ja lähetä se uudelleen.",
    "count",
)
NOTHING_TO_IMPORT = _("Tiedostossa ei ole yhtään tuotavaa riviä.")
CHOOSE_COLUMNS = _("Valitse sarake, josta luetaan: %(fields)s.")
CONFIRM_IMPORT = ngettext_lazy("Tuo %(count)s laite", "Tuo %(count)s laitetta", "count")
CONFIRM_LIST = ngettext_lazy(
    "Tallenna %(count)s laite luetteloon", "Tallenna %(count)s laitetta luetteloon", "count"
)
AND_LEAVE_OUT = ngettext_lazy(
    "ja jätä %(count)s rivi pois", "ja jätä %(count)s riviä pois", "count"
)
DELIMITERS = {";": _("puolipiste (;)"), ",": _("pilkku (,)"), "\t": _("sarkain")}
FROM_SUGGESTION = _("ehdotus")
FROM_DEFAULT = _("oletus")


@dataclass(frozen=True)
class Flow:
    """What differs between the technician's import and the donor's list."""

    purpose: str
    fields: tuple
    model: type
    with_grade: bool
    preview_url: str
    cancel_url: str
    title: str
    confirm_label: object
    done: object

    def field_labels(self):
        return {name: self.model._meta.get_field(name).verbose_name for name in self.fields}

    def plan(self, batch, table, choices):
        common = {
            "table": table,
            "mapping": choices.get("mapping"),
            "default_category": choices.get("default_category", ""),
            "accept_suggestions": choices.get("accept_suggestions", True),
        }
        if self.with_grade:
            return imports.plan_batch_import(
                batch=batch,
                condition_grade=choices.get("condition_grade", Device.Grade.B),
                **common,
            )
        return imports.plan_donor_list(**common)

    def confirm(self, *, batch, actor, plan):
        if self.with_grade:
            return imports.batch_import_confirm(batch=batch, actor=actor, plan=plan)
        return imports.donor_list_confirm(batch=batch, actor=actor, plan=plan)

    def current_choices(self, plan, stored):
        """The choices the preview shows: the stored ones, the guessed mapping filled in."""
        current = {
            "mapping": {name: plan.mapping.get(name) for name in self.fields},
            "default_category": plan.default_category,
            "accept_suggestions": stored.get("accept_suggestions", True),
        }
        if self.with_grade:
            current["condition_grade"] = stored.get("condition_grade", Device.Grade.B)
        return current


TECHNICIAN_IMPORT = Flow(
    purpose=PendingImport.Purpose.BATCH_IMPORT,
    fields=import_mapping.IMPORT_FIELDS,
    model=Device,
    with_grade=True,
    preview_url="devices:batch_import_preview",
    cancel_url="devices:batch_import_cancel",
    title=_("Tuo laiteluettelo erään %(reference)s: esikatselu"),
    confirm_label=CONFIRM_IMPORT,
    done=DEVICES_IMPORTED,
)
DONOR_LIST = Flow(
    purpose=PendingImport.Purpose.DONOR_LIST,
    fields=import_mapping.DONOR_LIST_FIELDS,
    model=BatchListItem,
    with_grade=False,
    preview_url="devices:donor_list_preview",
    cancel_url="devices:donor_list_cancel",
    title=_("Erän %(reference)s laiteluettelo: esikatselu"),
    confirm_label=CONFIRM_LIST,
    done=LIST_ITEMS_SAVED,
)


def pending_for(request, batch, purpose, pk):
    """The user's own pending import of the batch (any user's for a coordinator), or 404."""
    return get_object_or_404(
        PendingImport.objects.visible_to(request.user).fresh(),
        pk=pk,
        batch=batch,
        purpose=purpose,
    )


def read_upload(form, field_name):
    """The uploaded file's bytes if spreadsheets can read it; otherwise the reason on the field."""
    upload = form.cleaned_data.get(field_name)
    if not upload:
        return None
    content = upload.read()
    try:
        spreadsheets.read_table(upload.name, content)
    except spreadsheets.ImportRejected as error:
        form.add_error(field_name, error.messages)
        return None
    return content


def store_upload(*, user, batch, flow, upload, content, choices=None):
    pending = PendingImport.objects.store(
        user=user,
        batch=batch,
        purpose=flow.purpose,
        original_name=upload.name,
        content=content,
        choices=choices,
    )
    return reverse(flow.preview_url, kwargs={"reference": batch.reference, "pk": pending.pk})


@role_required(TECHNICIAN)
def batch_import(request, reference):
    """Upload a technician's device list; nothing is logged before its preview is confirmed."""
    batch = get_object_or_404(DonationBatch.objects.select_related("donor"), reference=reference)
    form = DeviceImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if batch.status != DonationBatch.Status.RECEIVED:
            messages.error(
                request, services.BATCH_NOT_OPEN_FOR_INTAKE % {"reference": batch.reference}
            )
            return redirect(batch)
        content = read_upload(form, "file")
        if content is not None:
            return redirect(
                store_upload(
                    user=request.user,
                    batch=batch,
                    flow=TECHNICIAN_IMPORT,
                    upload=form.cleaned_data["file"],
                    content=content,
                    choices={"condition_grade": form.cleaned_data["condition_grade"]},
                )
            )
    return render(request, "devices/device_import.html", {"batch": batch, "form": form})


@role_required(TECHNICIAN)
def batch_import_preview(request, reference, pk):
    batch = get_object_or_404(DonationBatch.objects.select_related("donor"), reference=reference)
    pending = pending_for(request, batch, TECHNICIAN_IMPORT.purpose, pk)
    return preview(request, batch, pending, TECHNICIAN_IMPORT)


@role_required(TECHNICIAN, DONOR)
def donor_list_preview(request, reference, pk):
    batch = get_object_or_404(selectors.batches_visible_to(request.user), reference=reference)
    pending = pending_for(request, batch, DONOR_LIST.purpose, pk)
    return preview(request, batch, pending, DONOR_LIST)


@require_POST
@role_required(TECHNICIAN)
def batch_import_cancel(request, reference, pk):
    batch = get_object_or_404(DonationBatch, reference=reference)
    pending_for(request, batch, TECHNICIAN_IMPORT.purpose, pk).delete()
    messages.info(request, IMPORT_CANCELLED)
    return redirect(batch)


@require_POST
@role_required(TECHNICIAN, DONOR)
def donor_list_cancel(request, reference, pk):
    batch = get_object_or_404(selectors.batches_visible_to(request.user), reference=reference)
    pending_for(request, batch, DONOR_LIST.purpose, pk).delete()
    messages.info(request, LIST_CANCELLED)
    return redirect(batch)


def preview(request, batch, pending, flow):
    """Show the plan with the stored choices; "refresh" stores new ones, "confirm" writes."""
    preview_url = reverse(flow.preview_url, kwargs={"reference": batch.reference, "pk": pending.pk})
    try:
        table = spreadsheets.read_table(pending.original_name, bytes(pending.content))
    except spreadsheets.ImportRejected as error:
        # Read once already at the upload; only a change of the reading rules lands here.
        return render_preview(request, batch, pending, flow, read_errors=error.messages)
    plan = flow.plan(batch, table, pending.choices)
    current = flow.current_choices(plan, pending.choices)
    form_kwargs = {
        "headers": table.headers,
        "fields": flow.fields,
        "field_labels": flow.field_labels(),
        "with_grade": flow.with_grade,
    }
    row_errors = []
    if request.method == "POST":
        form = ImportChoicesForm(request.POST, **form_kwargs)
        if form.is_valid():
            chosen = form.choices()
            if chosen != current:
                pending.choices = chosen
                pending.save(update_fields=["choices"])
                if "confirm" in request.POST:
                    # Never import with choices whose outcome the user has not seen.
                    messages.warning(request, CHOICES_CHANGED)
                return redirect(preview_url)
            if "confirm" not in request.POST:
                return redirect(preview_url)
            if not plan.can_confirm:
                messages.error(request, NOT_READY)
                return redirect(preview_url)
            try:
                written = confirm_once(request, batch, pending, flow, plan)
            except spreadsheets.ImportRejected as error:
                row_errors = error.row_errors or [str(message) for message in error.messages]
                messages.error(request, IMPORT_REFUSED)
            except ValidationError as error:
                messages_from_error(request, error)
                return redirect(batch)
            else:
                if written is not None:
                    done_message(request, batch, flow, plan, written)
                return redirect(batch)
    else:
        form = ImportChoicesForm(initial=ImportChoicesForm.initial_from(current), **form_kwargs)
    return render_preview(
        request, batch, pending, flow, table=table, plan=plan, form=form, row_errors=row_errors
    )


def confirm_once(request, batch, pending, flow, plan):
    """Write the plan and remove the pending import together; None if another request did.

    The delete comes first and in the same transaction: of two confirmations sent at
    once (a double click), the second finds nothing to delete and writes nothing, and a
    refused confirmation keeps the pending import for the user to correct.
    """
    with transaction.atomic():
        deleted, _by_model = PendingImport.objects.filter(pk=pending.pk).delete()
        if not deleted:
            messages.info(request, ALREADY_CONFIRMED)
            return None
        return flow.confirm(batch=batch, actor=request.user, plan=plan)


def done_message(request, batch, flow, plan, written):
    count = len(written)
    text = str(flow.done % {"count": count, "reference": batch.reference})
    left_out = plan.counts.get(imports.Outcome.LEFT_OUT, 0)
    if left_out:
        text = f"{text} {ROWS_LEFT_OUT % {'count': left_out}}"
    messages.success(request, text)


@dataclass
class PreviewRow:
    number: int
    outcome: str
    outcome_label: str
    reasons: list
    cells: list


def preview_rows(plan, shown_fields):
    """The first PREVIEW_ROW_LIMIT rows, those that need the user first, as table cells."""
    categories = dict(Device.Category.choices)
    order = {outcome: index for index, outcome in enumerate(ROWS_ORDER)}
    rows = sorted(plan.rows, key=lambda row: (order.get(row.outcome, 0), row.number))
    shown = []
    for row in rows[:PREVIEW_ROW_LIMIT]:
        cells = []
        for name in shown_fields:
            text = row.raw.get(name, "")
            if name == "category":
                category = row.fields.get("category")
                if category in categories:
                    text = categories[category]
                    if not row.raw.get("category"):
                        source = (
                            FROM_SUGGESTION
                            if category == row.suggested_category
                            and category != plan.default_category
                            else FROM_DEFAULT
                        )
                        text = f"{text} ({source})"
            cells.append(text)
        shown.append(
            PreviewRow(
                number=row.number,
                outcome=row.outcome,
                outcome_label=imports.Outcome(row.outcome).label,
                reasons=row.reasons,
                cells=cells,
            )
        )
    return shown


def render_preview(
    request,
    batch,
    pending,
    flow,
    *,
    table=None,
    plan=None,
    form=None,
    row_errors=(),
    read_errors=(),
):
    context = {
        "batch": batch,
        "pending": pending,
        "flow": flow,
        "title": flow.title % {"reference": batch.reference},
        "table": table,
        "plan": plan,
        "form": form,
        "row_errors": row_errors,
        "read_errors": read_errors,
        "cancel_url": reverse(
            flow.cancel_url, kwargs={"reference": batch.reference, "pk": pending.pk}
        ),
    }
    if plan is not None:
        labels = flow.field_labels()
        shown_fields = [name for name in flow.fields if plan.mapping.get(name) is not None]
        if "category" not in shown_fields:
            # The category comes from the default or a suggestion: show what it became.
            shown_fields.insert(0, "category")
        counts = plan.counts
        attention = counts.get(imports.Outcome.ATTENTION, 0)
        importable = counts.get(imports.Outcome.IMPORT, 0)
        left_out = counts.get(imports.Outcome.LEFT_OUT, 0)
        missing = ", ".join(f"”{label}”" for label in plan.missing_columns)
        label = str(flow.confirm_label % {"count": importable})
        if left_out:
            label = f"{label} {AND_LEAVE_OUT % {'count': left_out}}"
        context.update(
            {
                "delimiter": DELIMITERS.get(table.delimiter, table.delimiter),
                "counts": [
                    (outcome, outcome.label, counts.get(outcome, 0)) for outcome in COUNTS_ORDER
                ],
                "total": len(plan.rows),
                "left_out": left_out,
                "rows": preview_rows(plan, shown_fields),
                "row_limit": PREVIEW_ROW_LIMIT,
                "actions_again": len(plan.rows) > ACTIONS_AGAIN_AFTER_ROWS,
                "columns": [labels[name] for name in shown_fields],
                "confirm_label": label,
                "blockers": [
                    message
                    for condition, message in (
                        (plan.missing_columns, CHOOSE_COLUMNS % {"fields": missing}),
                        (attention, ATTENTION_TO_FIX % {"count": attention}),
                        (not importable, NOTHING_TO_IMPORT),
                    )
                    if condition
                ],
            }
        )
    return render(request, "devices/import_preview.html", context)
