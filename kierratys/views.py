from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kierratys import roles


@login_required
def home(request):
    """The start page: what the user's role does next."""
    user = request.user
    context = {
        "show_coordinator": roles.is_coordinator(user),
        "show_technician": roles.has_role(user, roles.TECHNICIAN, roles.COORDINATOR),
        "show_coach": roles.has_role(user, roles.COACH, roles.COORDINATOR),
        "show_donor": roles.is_donor(user),
    }
    return render(request, "home.html", context)
