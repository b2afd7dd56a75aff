from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from accounts import two_factor

# The only pages a session that still owes the second factor may open. Logging out
# and changing the language are always allowed; static files come from whitenoise.
ALWAYS_OPEN = {"logout", "set_language"}
STEP_PAGES = {
    two_factor.VERIFY: "accounts:two_factor_verify",
    two_factor.ENROL: "accounts:two_factor_enrol",
}


class TwoFactorMiddleware:
    """Keeps a logged-in user on the code page or the enrolment page until that is done.

    Lives in accounts, not in `role_required`, because it has to cover every page
    (the admin too, whose login view is not ours) and kierratys imports no app.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = two_factor.owed_step(request)
        # base.html leaves out the menu and the account links while a step is owed:
        # every one of them would only lead back to the step's page.
        request.two_factor_owed = step
        if step is not None and not self._open_during(step, request):
            url = reverse(STEP_PAGES[step])
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        return self.get_response(request)

    @staticmethod
    def _open_during(step, request):
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            return False
        return name in ALWAYS_OPEN or name == STEP_PAGES[step]
