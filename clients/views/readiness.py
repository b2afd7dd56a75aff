"""Record the readiness checklist of a reserved device (the client page's device panel)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from clients import readiness, selectors
from clients.forms import HandoverReadinessForm
from kierratys.messages import messages_from_error, messages_from_form
from kierratys.roles import COACH, role_required

READINESS_SAVED = _("Valmistelu on kirjattu. Laite on valmis luovutettavaksi.")
READINESS_SAVED_INCOMPLETE = _(
    "Valmistelu on kirjattu. Ennen luovutusta puuttuu vielä: %(missing)s."
)


@role_required(COACH)
@require_POST
def handover_readiness(request, pk):
    handover = get_object_or_404(
        selectors.handovers_visible_to(request.user).select_related("client", "device"), pk=pk
    )
    form = HandoverReadinessForm(request.POST)
    if not form.is_valid():
        messages_from_form(request, form)
        return redirect(handover.client)
    try:
        recorded = readiness.readiness_record(
            handover=handover, actor=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages_from_error(request, error)
    else:
        missing = recorded.missing_fields()
        if missing:
            labels = [str(recorded._meta.get_field(name).verbose_name) for name in missing]
            messages.warning(request, READINESS_SAVED_INCOMPLETE % {"missing": ", ".join(labels)})
        else:
            messages.success(request, READINESS_SAVED)
    return redirect(handover.client)
