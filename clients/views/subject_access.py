"""Subject access: a coordinator downloads everything stored about one client as JSON; the
client's coach or a coordinator prints a readable PDF of it for the client."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from clients import selectors
from clients.models import Client
from clients.subject_access import client_subject_access_export
from clients.subject_access_pdf import client_subject_access_pdf
from kierratys import roles
from kierratys.pdf import pdf_response


@roles.role_required(roles.COORDINATOR)
def subject_access_export(request, code):
    """The client's data as a JSON file; the export is access-logged."""
    client = get_object_or_404(Client, code=code)
    data = client_subject_access_export(client=client, actor=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{client.code}-tiedot.json"'
    return response


@roles.role_required(roles.COACH)
def subject_access_pdf(request, code):
    """The client's data as a readable PDF in the client's language; the reading is logged."""
    client = get_object_or_404(selectors.clients_visible_to(request.user), code=code)
    pdf = client_subject_access_pdf(client=client, actor=request.user)
    return pdf_response(pdf, f"{client.code}-tiedot.pdf")
