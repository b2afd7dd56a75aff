"""Subject access: a coordinator downloads everything stored about one client as JSON."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from clients.models import Client
from clients.subject_access import client_subject_access_export
from kierratys import roles


@roles.role_required(roles.COORDINATOR)
def subject_access_export(request, code):
    """The client's data as a JSON file; the export is access-logged."""
    client = get_object_or_404(Client, code=code)
    data = client_subject_access_export(client=client, actor=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{client.code}-tiedot.json"'
    return response
