"""One way to turn a template into a PDF: `render_pdf(template_name, context)`.

WeasyPrint gets a URL fetcher that serves only the project's own static files,
so no value typed by a user (a model name, a note) can make it read a local
file or reach an address on the network.

Every document is a tagged PDF (PDF/UA-1): a structure tree for screen readers, the
language from the template's <html lang>, and the <title> shown as the window's title.
"""

import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Templates link stylesheets and images as {% static '...' %}; resolved against
# this base they become file:///static/... and are served from the static files.
PDF_BASE_URL = "file:///"
# Tagged, with /Lang, /MarkInfo and /ViewerPreferences /DisplayDocTitle (WCAG 2.1, EN 301 549).
PDF_VARIANT = "pdf/ua-1"


class StaticOnlyFetcher(URLFetcher):
    """Serves /static/... from the project's static files; refuses everything else."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if parts.scheme != "file" or parts.netloc or not parts.path.startswith(static_prefix):
            raise ValueError(f"Refused to fetch {url!r}: only static files are allowed")
        relative = posixpath.normpath(unquote(parts.path[len(static_prefix) :]))
        if relative.startswith(("..", "/")):
            raise ValueError(f"Refused to fetch {url!r}: outside the static files")
        try:
            path = _static_file(relative)
        except SuspiciousFileOperation as error:
            raise ValueError(f"Refused to fetch {url!r}") from error
        if not path:
            raise ValueError(f"No static file {relative!r}")
        with open(path, "rb") as file:
            body = file.read()
        return URLFetcherResponse(url, body, {"Content-Type": _mime_type(relative)})


def _static_file(relative):
    """The file behind a static path: the source file, or the collected copy.

    In production {% static %} links the collected copy whose name carries its
    content hash (whitenoise's manifest), which no finder knows.
    """
    path = finders.find(relative)
    if not path and staticfiles_storage.exists(relative):
        path = staticfiles_storage.path(relative)
    return path


def _mime_type(name):
    if name.endswith(".css"):
        return "text/css"
    if name.endswith(".svg"):
        return "image/svg+xml"
    if name.endswith(".png"):
        return "image/png"
    return "application/octet-stream"


def render_pdf(template_name, context, request=None):
    """Render a template to tagged (PDF/UA-1) PDF bytes with the static-only fetcher."""
    html = render_to_string(template_name, context, request=request)
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def pdf_response(pdf_bytes, filename, *, inline=True):
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
