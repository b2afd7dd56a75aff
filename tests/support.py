"""Helpers the tests share: reading PDFs back, decoding their barcodes, racing threads.

Fixtures live in tests/conftest.py; data is made through the services in
tests/factories.py and tests/kierratys/programme.py. This module holds the plain
functions that several test modules call.
"""

import email
import email.policy
import io
import re
import shutil
import socket
import subprocess
import threading

import pytest
from aiosmtpd.controller import Controller
from django.contrib.messages import get_messages
from django.db import connection, connections
from pypdf import PdfReader

BARCODE_TOOLS = ("pdftoppm", "zbarimg")
BARCODE_TOOLS_MISSING = (
    "pdftoppm (poppler-utils) and zbarimg (zbar-tools) are needed to decode printed barcodes"
)
BARCODE_DPI = 300
# zbarimg exits with 4 when an image holds no barcode: that is a result, not a failure.
ZBARIMG_NOTHING_FOUND = 4

# Row locks are real only on PostgreSQL; a race test is meaningless elsewhere.
requires_postgres = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="select_for_update() is a no-op on SQLite; real row locks need PostgreSQL",
    ),
]
RACE_TIMEOUT = 30


def pdf_pages(pdf):
    """The pages of a PDF given as bytes (pypdf page objects)."""
    return PdfReader(io.BytesIO(pdf)).pages


def pdf_text(pdf):
    """The text of every page of a PDF (bytes), pages separated by a newline."""
    return "\n".join(page.extract_text() for page in pdf_pages(pdf))


def one_line(text):
    """Text with every run of whitespace as one space: PDF line breaks fall anywhere."""
    return " ".join(text.split())


def figure_after(text, label):
    """The whole number printed right after `label`: in "kirjattu 42", 42, never 4."""
    match = re.search(rf"{re.escape(label)} (\d+)(?![\d,.])", text)
    assert match, f"no number after {label!r} in: {text}"
    return int(match.group(1))


def pdf_response_text(response):
    """The one-line text of a PDF response, after checking that it is a PDF."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return one_line(pdf_text(response.content))


def pdf_barcodes(pdf, tmp_path):
    """Every barcode printed in the PDF, decoded from a 300 dpi raster, page by page.

    Skips the test (with the reason) when poppler-utils or zbar-tools are not installed.
    """
    if not all(shutil.which(tool) for tool in BARCODE_TOOLS):
        pytest.skip(BARCODE_TOOLS_MISSING)
    source = tmp_path / "barcodes.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(BARCODE_DPI), "-gray", "-png", source, tmp_path / "page"],
        check=True,
    )
    codes = []
    for image in sorted(tmp_path.glob("page*.png")):
        result = subprocess.run(
            ["zbarimg", "--quiet", "--raw", image], capture_output=True, text=True, check=False
        )
        if result.returncode not in (0, ZBARIMG_NOTHING_FOUND):
            raise AssertionError(f"zbarimg failed on {image.name}: {result.stderr}")
        codes.extend(line for line in result.stdout.splitlines() if line)
    return codes


def race(action, actors, *, timeout=RACE_TIMEOUT):
    """Run `action(actor)` in one thread per actor, all released at once by a barrier.

    Returns each thread's result, or the exception it raised, in finishing order. Each
    thread has its own database connection, so the test needs real commits
    (`django_db(transaction=True)`) and PostgreSQL (`requires_postgres`).
    """
    barrier = threading.Barrier(len(actors))
    outcomes = []
    lock = threading.Lock()

    def run(actor):
        try:
            barrier.wait(timeout=timeout)
            result = action(actor)
        except Exception as error:  # reported by the assertions of the test
            result = error
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    # A thread still waiting on a lock would otherwise just be missing from the outcomes.
    assert len(outcomes) == len(actors), f"{len(actors) - len(outcomes)} threads hung: {outcomes}"
    return outcomes


def messages_of(response):
    """The texts of the messages (django.contrib.messages) the request left."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def free_port(host="127.0.0.1"):
    """A TCP port nothing listens on just now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class SmtpServer:
    """A real SMTP server (aiosmtpd, in its own thread) on 127.0.0.1 that keeps every mail.

    `host`, `port`; `messages`: the mails received, as email.message.EmailMessage (a
    Message with `get_content()`), in arrival order. Set `refuse` to answer every mail
    with 554, as a server that rejects it. The `smtp_server` fixture (tests/conftest.py)
    starts one and points Django's SMTP backend at it.
    """

    def __init__(self, host="127.0.0.1"):
        self.host = host
        self.port = free_port(host)
        self.messages = []
        self.refuse = False
        self._controller = Controller(self, hostname=host, port=self.port)

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "554 Transaction failed: refused by the test server"
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(mail)
        return "250 Message accepted for delivery"

    def start(self):
        self._controller.start()
        return self

    def stop(self):
        self._controller.stop()


def mail_links(message):
    """The http(s) links in a mail's plain-text body."""
    body = message.get_content() if hasattr(message, "get_content") else message.body
    return re.findall(r"https?://\S+", body)


def shown_date(value):
    """A date as every page, document and CSV file shows it: 1.12.2026 (kierratys/formats)."""
    return f"{value.day}.{value.month}.{value.year}"
