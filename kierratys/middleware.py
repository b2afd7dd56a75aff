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
