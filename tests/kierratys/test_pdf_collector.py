"""A PDF is laid out with Python's cyclic garbage collector paused (kierratys.pdf), and the
collector is back as it was afterwards, also when the document fails."""

import gc

import pytest

from kierratys import pdf

PAGE = (
    '<!DOCTYPE html><html lang="fi"><head><title>T</title></head><body><p>Teksti</p></body></html>'
)


@pytest.fixture
def collector():
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_paused_while_weasyprint_writes_and_back_after(monkeypatch, collector):
    seen = []
    write_pdf = pdf.HTML.write_pdf

    def spy(document, *args, **kwargs):
        seen.append(gc.isenabled())
        return write_pdf(document, *args, **kwargs)

    monkeypatch.setattr(pdf.HTML, "write_pdf", spy)
    gc.enable()

    assert pdf.html_to_pdf(PAGE).startswith(b"%PDF")
    assert seen == [False]
    assert gc.isenabled()


def test_the_collector_comes_back_when_the_document_fails(monkeypatch, collector):
    def broken(*args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(pdf.HTML, "write_pdf", broken)
    gc.enable()

    with pytest.raises(RuntimeError):
        pdf.html_to_pdf(PAGE)
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off(collector):
    gc.disable()

    pdf.html_to_pdf(PAGE)

    assert not gc.isenabled()
