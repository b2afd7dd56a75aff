"""Digital-support points (digitukipisteet), kept by coordinators and printed on receipts."""

from django.contrib.messages.views import SuccessMessageMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, ListView, UpdateView

from clients.forms import SupportPointForm
from clients.models import SupportPoint
from kierratys.roles import COORDINATOR, RoleRequiredMixin


class SupportPointList(RoleRequiredMixin, ListView):
    roles = (COORDINATOR,)
    queryset = SupportPoint.objects.select_related("municipality")
    paginate_by = 50
    template_name = "clients/supportpoint_list.html"
    context_object_name = "support_points"


class SupportPointCreate(RoleRequiredMixin, SuccessMessageMixin, CreateView):
    roles = (COORDINATOR,)
    model = SupportPoint
    form_class = SupportPointForm
    template_name = "clients/supportpoint_form.html"
    success_url = reverse_lazy("clients:supportpoint_list")
    success_message = _("Digitukipiste %(name)s on lisätty.")


class SupportPointEdit(RoleRequiredMixin, SuccessMessageMixin, UpdateView):
    roles = (COORDINATOR,)
    model = SupportPoint
    form_class = SupportPointForm
    template_name = "clients/supportpoint_form.html"
    success_url = reverse_lazy("clients:supportpoint_list")
    success_message = _("Digitukipisteen %(name)s tiedot on tallennettu.")


supportpoint_list = SupportPointList.as_view()
supportpoint_create = SupportPointCreate.as_view()
supportpoint_edit = SupportPointEdit.as_view()
