"""The import of a 2,000-row device list: in process (read, plan, confirm) and over HTTP
as a browser sends it (upload -> preview -> confirm).

Over HTTP through django.test.Client, so each step takes the whole request path (middleware,
sessions, CSRF off as in tests, the form, the templates). The confirm posts the
preview's own choices form as the page shows it (read from its HTML), so nothing
is planned outside the requests being timed.
"""

import time
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from bench import seeding
from devices import imports, services, spreadsheets
from devices.models import Donor

IMPORT_ROWS = spreadsheets.MAX_ROWS  # the largest list the import takes (2,000)
IMPORT_SECONDS = 5.0

CHOICES_FORM_ID = "import-choices"


class _FormReader(HTMLParser):
    """The values a browser would submit from the form with id `form_id`."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.select = None
        self.first_option = None
        self.chosen = False
        self.data = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[attrs["name"]] = attrs.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.data[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self.select, self.first_option, self.chosen = attrs["name"], None, False
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.first_option is None:
                self.first_option = value
            if "selected" in attrs:
                self.data[self.select] = value
                self.chosen = True

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            if not self.chosen:
                self.data[self.select] = self.first_option or ""
            self.select = None


def form_data(html, form_id=CHOICES_FORM_ID):
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.data


def import_over_http(client, batch, content, name="laitteet.csv"):
    """Upload `content` to `batch`, open the preview, confirm it; seconds of each step."""
    upload_url = reverse("devices:batch_import", kwargs={"reference": batch.reference})
    times = {}
    start = time.perf_counter()
    response = client.post(
        upload_url,
        {"file": SimpleUploadedFile(name, content, "text/csv"), "condition_grade": "B"},
    )
    times["upload"] = time.perf_counter() - start
    if response.status_code != 302:
        raise RuntimeError(f"the upload answered {response.status_code}, not a redirect")
    preview_url = response["Location"]
    start = time.perf_counter()
    response = client.get(preview_url)
    times["preview"] = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"the preview answered {response.status_code}")
    choices = form_data(response.content.decode())
    start = time.perf_counter()
    response = client.post(preview_url, {**choices, "confirm": "1"})
    times["confirm"] = time.perf_counter() - start
    if response.status_code != 302 or response["Location"] == preview_url:
        raise RuntimeError(f"the confirmation was not accepted ({response.status_code})")
    return times


def import_csv(rows=IMPORT_ROWS):
    """A technician's device list as Finnish Excel saves it, with serials the seed never uses."""
    lines = ["laji;valmistaja;malli;sarjanumero;IMEI;lahjoittajan inventaariotunnus;kuntoluokka"]
    kinds = [(category, pair) for category, pairs in seeding.MODELS.items() for pair in pairs]
    for number in range(1, rows + 1):
        category, (manufacturer, model) = kinds[number % len(kinds)]
        # The seed's IMEIs are 35 + the device number; these sit far above any seeded one.
        imei = seeding._imei(10**11 + number) if category == "phone" else ""
        grade = "ABC"[number % 3]
        lines.append(
            f"{category};{manufacturer};{model};BI{number:08d};{imei};BENCH-{number};{grade}"
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def batch_import(fx, over_http=False):
    content = import_csv()
    client = Client()

    def run():
        actor = get_user_model().objects.get(username=seeding.COORDINATOR_USERNAME)
        donor = Donor.objects.get(pk=fx.import_donor)
        # Every repetition imports into a new batch and rolls back: the seed stays as it was.
        with transaction.atomic():
            batch = services.batch_register(donor=donor, actor=actor, declared_count=IMPORT_ROWS)
            batch = services.batch_receive(batch=batch, actor=actor)
            if over_http:
                client.force_login(actor)
                import_over_http(client, batch, content)
                if batch.devices.count() != IMPORT_ROWS:
                    raise RuntimeError(f"{batch.devices.count()} devices imported over HTTP")
                transaction.set_rollback(True)
                return
            table = spreadsheets.read_table("laitteet.csv", content)
            plan = imports.plan_batch_import(batch=batch, table=table)
            if not plan.can_confirm:
                problems = [f"{row.number}: {row.reasons}" for row in plan.rows if row.reasons]
                raise RuntimeError(f"the plan cannot be confirmed: {problems[:3]}")
            devices = imports.batch_import_confirm(batch=batch, actor=actor, plan=plan)
            if len(devices) != IMPORT_ROWS:
                raise RuntimeError(f"{len(devices)} devices imported, not {IMPORT_ROWS}")
            transaction.set_rollback(True)

    return run
