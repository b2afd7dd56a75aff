"""Every printed document is a tagged PDF a screen reader can read, in its own language.

WCAG 2.1 AA (EN 301 549 chapter 10) for documents: a structure tree (PDF/UA-1, made by
WeasyPrint's pdf_variant), the document's language in the catalog, and a title that
the viewer shows instead of the file name and that the page shows as its heading.
Every document of tests/kierratys/test_production_documents.py is checked, in Finnish
and in Swedish: the certificate and the donor report in the donor's language, the
client's documents in the client's, labels and the funder report in the one asked for.
"""

import io
import logging
from functools import partial

import pytest
from django.utils import translation
from pypdf import PdfReader

from tests import factories
from tests.kierratys.test_production_documents import DOCUMENTS, People
from tests.support import one_line

pytestmark = pytest.mark.django_db

LANGUAGES = ("fi", "sv")
# Labels are stuck on devices: no room for a heading, their title is the viewer's alone.
LABELS = {"devices/labels_sheet.html", "devices/label_thermal.html"}


@pytest.fixture
def people(donor, technician, coach):
    return People(donor, technician, coach)


@pytest.fixture
def speaking(monkeypatch, donor):
    """Makes the donor and every client made from now on speak `language`."""

    def switch(language):
        donor.language = language
        donor.save(update_fields=["language"])
        make_client = factories.make_client
        monkeypatch.setattr(
            factories,
            "make_client",
            lambda coach, **fields: make_client(coach, **{"language": language, **fields}),
        )

    return switch


def rendered(people, document, language):
    _template, make_renderer = DOCUMENTS[document]
    render = make_renderer(people)
    if isinstance(render, partial) and "language" in render.keywords:
        render = partial(render, language=language)
    # Labels are printed in the language of whoever prints them.
    with translation.override(language):
        return render()


def struct_kinds(node, kinds, depth=0):
    """The structure types (/H1, /P, /Table, /Figure ...) under a structure element."""
    node = node.get_object()
    kind = node.get("/S")
    if kind is not None:
        kinds.append((str(kind), node.get("/Alt")))
    children = node.get("/K")
    if children is None or depth > 60:
        return kinds
    if not isinstance(children, list):
        children = [children]
    for child in children:
        child = child.get_object()
        if hasattr(child, "get") and child.get("/Type") in ("/StructElem", None) and "/S" in child:
            struct_kinds(child, kinds, depth + 1)
    return kinds


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_every_document_is_tagged_in_its_language_and_shows_its_title(
    people, speaking, caplog, document, language
):
    speaking(language)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        reader = PdfReader(io.BytesIO(rendered(people, document, language)))
    # WeasyPrint logs what PDF/UA misses: an image without alt, a root without lang.
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    catalog = reader.trailer["/Root"]

    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == language
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    title = reader.metadata.title
    assert title and title.strip() == title, "no <title>, or one with stray spaces"
    kinds = struct_kinds(catalog["/StructTreeRoot"], [])
    assert ("/P" in {kind for kind, _alt in kinds}) or ("/Div" in {kind for kind, _alt in kinds})
    # Every image (barcode, chart) has a text alternative for a screen reader.
    figures = [alt for kind, alt in kinds if kind == "/Figure"]
    assert all(figures), f"a figure without alternative text in {document}"
    if DOCUMENTS[document][0] not in LABELS:
        headings = [kind for kind, _alt in kinds if kind == "/H1"]
        assert len(headings) == 1, "one visible main heading"
        # The title's words (the heading, and the reference or name printed with it)
        # are all on the first page.
        first_page = one_line(reader.pages[0].extract_text())
        words = title.replace(" – ", " ").split()
        assert [word for word in words if word not in first_page] == []


def test_the_certificate_and_the_receipt_in_swedish_are_read_as_swedish(people, speaking):
    speaking("sv")
    for document in ("erasure certificate", "handover receipt"):
        reader = PdfReader(io.BytesIO(rendered(people, document, "fi")))
        # The page is in the donor's or client's language whatever the user's is.
        assert reader.trailer["/Root"]["/Lang"] == "sv"
