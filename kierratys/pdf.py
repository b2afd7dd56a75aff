"""One way to turn a template into a PDF: `render_pdf(template_name, context)`.

WeasyPrint gets a URL fetcher that serves only the project's own static files,
so no value typed by a user (a model name, a note) can make it read a local
file or reach an address on the network.

Every document is a tagged PDF (PDF/UA-1): a structure tree for screen readers, the
language from the template's <html lang>, and the <title> shown as the window's title.
"""

import base64
import gc
import posixpath
import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Templates link stylesheets and images as {% static '...' %}; resolved against
# this base they become file:///static/... and are served from the static files.
PDF_BASE_URL = "file:///"
# Tagged, with /Lang, /MarkInfo and /ViewerPreferences /DisplayDocTitle (WCAG 2.1, EN 301 549).
PDF_VARIANT = "pdf/ua-1"


# An image the code drew itself (kierratys.barcodes.bar_rows_png): it reads nothing.
PNG_DATA_URL = "data:image/png;base64,"


class StaticOnlyFetcher(URLFetcher):
    """Serves /static/... from the project's static files, and PNG images given inline as
    data: URLs; refuses everything else."""

    def fetch(self, url, headers=None):
        if url.startswith(PNG_DATA_URL):
            body = base64.b64decode(url[len(PNG_DATA_URL) :], validate=True)
            return URLFetcherResponse(url, body, {"Content-Type": "image/png"})
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


# One for every document: fetch() keeps no state, and making a URLFetcher builds a dozen
# urllib handlers it never uses here (1.5% of a label sheet's time).
FETCHER = StaticOnlyFetcher()


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


_thread = threading.local()


def _font_config():
    """This thread's WeasyPrint font configuration, made on its first document.

    Making one loads Fontconfig's configuration and font list, a sixth of the time of a
    one-page PDF. It holds only the system fonts (no document declares @font-face), so
    every document can use it and comes out byte for byte the same; one a thread, as a
    Pango font map is not to be shared between threads.
    """
    font_config = getattr(_thread, "font_config", None)
    if font_config is None:
        font_config = _thread.font_config = FontConfiguration()
    return font_config


# The stylesheets of a document's <head>, as its templates write them.
HEAD_STYLESHEET = re.compile(
    r'<link rel="stylesheet" href="(?P<href>[^"<>]*)">|<style>(?P<css>[^<]*)</style>'
)
PARSED_STYLESHEETS = 32  # a few documents, each one stylesheet and one <style> (or two)


@lru_cache(maxsize=PARSED_STYLESHEETS)
def _parsed_stylesheet(css, base_url):
    """A stylesheet parsed once: parsing one (tinycss2, then cssselect2 compiling every
    selector) took a tenth of the time of a one-page PDF. Keyed by its text, so a changed
    file is parsed again; WeasyPrint only reads a parsed stylesheet."""
    return CSS(string=css, base_url=base_url, url_fetcher=FETCHER)


def _head_stylesheets(html):
    """The HTML without the stylesheets of its <head>, and those stylesheets parsed.

    They are all given to WeasyPrint as the document's own stylesheets in the order they
    came in, which cascades as before: all of them are still of one origin, and a later
    one wins a tie. Only the head's: the body keeps whatever it holds (an SVG's <style>),
    and no value typed by a user can open a tag there, autoescaped as it is.
    """
    head, separator, body = html.partition("</head>")
    if not separator:
        return html, []
    sheets = []

    def parsed(match):
        if match["href"] is not None:
            url = urljoin(PDF_BASE_URL, match["href"])
            try:
                css = FETCHER.fetch(url).read().decode("utf-8")
            except (ValueError, OSError):
                # Left to WeasyPrint, which logs it and renders without, as it always did
                # (tests/kierratys/test_production_documents.py).
                return match[0]
            sheets.append(_parsed_stylesheet(css, url))
        else:
            sheets.append(_parsed_stylesheet(match["css"], PDF_BASE_URL))
        return ""

    return HEAD_STYLESHEET.sub(parsed, head) + separator + body, sheets


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off for the block, then back as it was.

    WeasyPrint makes millions of objects that live until the PDF is written (boxes, styles,
    glyph runs); each collection during a layout walked them all again to find almost no
    garbage: a third of the time of a hundred-page document. Reference counting still
    frees what is dropped; the cycles left are collected after the document."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def html_to_pdf(html):
    """Tagged (PDF/UA-1) PDF bytes of an HTML string, with the static-only fetcher."""
    html, stylesheets = _head_stylesheets(html)
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=FETCHER)
    with _collector_paused():
        return document.write_pdf(
            pdf_variant=PDF_VARIANT, stylesheets=stylesheets, font_config=_font_config()
        )


def render_pdf(template_name, context, request=None):
    """Render a template to tagged (PDF/UA-1) PDF bytes with the static-only fetcher."""
    return html_to_pdf(render_to_string(template_name, context, request=request))


def pdf_response(pdf_bytes, filename, *, inline=True):
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
