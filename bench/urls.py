"""The project's URLs plus one bench-only page; used only under override_settings.

The trivial view renders base.html for a logged-in user through the same
middleware as every real page: the floor each page's time is compared with.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from kierratys.urls import urlpatterns as project_urlpatterns


@login_required
def trivial(request):
    return render(request, "base.html")


urlpatterns = [path("__bench__/trivial/", trivial, name="bench_trivial"), *project_urlpatterns]
