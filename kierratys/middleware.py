from django.utils.cache import add_never_cache_headers


class FinnishFirstMiddleware:
    """Finnish unless the user picked another language with the switcher.

    Office computers often run an English browser; the staff still work in
    Finnish, so the browser's Accept-Language is ignored and only the language
    cookie set by the switcher (or LANGUAGE_CODE, Finnish) decides.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class NeverCacheForUsersMiddleware:
    """Cache-Control: no-store on every response for a logged-in user.

    Client pages, receipts and exports hold personal data, and office computers
    are shared: the browser must not keep a copy for the next person. Anonymous
    responses are left to their views (Django's login view is never_cache
    already), and whitenoise answers static files before this runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
