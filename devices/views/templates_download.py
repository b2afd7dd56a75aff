"""A blank device-list template to download: technicians get every field a list can fill,
donors the fields of a donor's list."""

from django.http import HttpResponse

from devices import import_templates
from devices.import_mapping import DONOR_LIST_FIELDS, IMPORT_FIELDS
from kierratys.roles import DONOR, TECHNICIAN, is_technician, role_required


@role_required(TECHNICIAN, DONOR)
def import_template(request):
    """GET `?format=xlsx` (default) or `csv`; `?list=donor` gives staff the donor's template."""
    donor_list = request.GET.get("list") == "donor" or not is_technician(request.user)
    fields = DONOR_LIST_FIELDS if donor_list else IMPORT_FIELDS
    name = "lahjoituslista-pohja" if donor_list else "laitelista-pohja"
    if request.GET.get("format") == "csv":
        content = import_templates.template_csv(fields)
        content_type, extension = "text/csv; charset=utf-8", "csv"
    else:
        content = import_templates.template_xlsx(fields)
        content_type, extension = import_templates.XLSX_CONTENT_TYPE, "xlsx"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response
