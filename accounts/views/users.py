"""Coordinator pages for staff and donor users."""

from django.http import HttpResponse

from kierratys.roles import COORDINATOR, role_required


@role_required(COORDINATOR)
def user_list(request):
    return HttpResponse("")
