"""Every URL of the project x anonymous and each role -> the outcome that user must get.

The table below is checked against the URL resolver: a page added without a row here makes
`test_every_url_has_a_row` fail, so no new page escapes the permission check.

Outcomes: a status code, LOGIN (redirect to the login page), or PDF (200 with a PDF body).
Forms and pages are requested with GET. State-changing views are POST-only: their row is
requested with POST (the real way in), and `test_post_only_views_refuse_get` checks that GET
is refused with 405. An allowed POST answers 302 (the page redirects, with a message when the
service refused) or 400 (a form shown again with its errors).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from clients import services
from clients.models import Handover, SupportPoint
from devices import services as device_services
from devices.models import Device, EvidenceFile, PendingImport
from tests import factories

LOGIN = "login"
PDF = "pdf"
GET = "get"
POST = "post"
ROLES = ("anonymous", "coordinator", "technician", "coach", "donor")

# Left out of the matrix, each for a stated reason:
EXCLUDED_URLCONFS = {
    # Django's login/logout/password views: public by design (the way in), tested by Django.
    "django.contrib.auth.urls",
    # set_language: public by design (the login page has the language switcher).
    "django.conf.urls.i18n",
}
EXCLUDED_NAMESPACES = {
    # Django admin: its own is_staff/permission system; only coordinators are is_staff.
    "admin",
}
# Static and media files are not in the URLconf: whitenoise serves them in front of it.


@dataclass(frozen=True)
class Row:
    method: str
    # anonymous, coordinator, technician, coach, donor
    expected: tuple
    kwargs: Callable = field(default=lambda w: {})
    query: Callable = field(default=lambda w: {})
    data: Callable = field(default=lambda w: {})


def _batch(w):
    return {"reference": w.batch.reference}


def _client(w):
    return {"code": w.client.code}


def _pending_import(w):
    return {"reference": w.batch.reference, "pk": w.pending_import.pk}


def _pending_list(w):
    return {"reference": w.registered.reference, "pk": w.pending_list.pk}


PENDING_CSV = "laji;valmistaja;malli;sarjanumero\nkannettava;Lenovo;ThinkPad T480;PF0MATRIX1\n"


# fmt: off
MATRIX = {
    # name                             method  anon   coord tech coach donor
    "home": Row(GET, (LOGIN, 200, 200, 200, 200)),
    # devices: batches and intake
    "devices:batch_list": Row(GET, (LOGIN, 200, 200, 403, 200)),
    "devices:batch_register": Row(GET, (LOGIN, 200, 200, 403, 200)),
    "devices:batch_detail": Row(GET, (LOGIN, 200, 200, 403, 200), _batch),
    "devices:batch_receive": Row(
        POST, (LOGIN, 302, 302, 403, 403), lambda w: {"reference": w.registered.reference}
    ),
    "devices:batch_mark_processed": Row(POST, (LOGIN, 302, 302, 403, 403), _batch),
    # Until received: its donor and staff change it; its donor or a coordinator cancel it.
    "devices:batch_edit": Row(
        GET, (LOGIN, 200, 200, 403, 200), lambda w: {"reference": w.registered.reference}
    ),
    "devices:batch_cancel": Row(
        POST, (LOGIN, 302, 403, 403, 302), lambda w: {"reference": w.registered.reference},
        data=lambda w: {"reason": "Ilmoitettu vahingossa"},
    ),
    "devices:device_intake": Row(GET, (LOGIN, 200, 200, 403, 403), _batch),
    "devices:batch_import": Row(GET, (LOGIN, 200, 200, 403, 403), _batch),
    # A pending import is its uploader's (and a coordinator's): anyone else gets a 404.
    "devices:batch_import_preview": Row(GET, (LOGIN, 200, 200, 403, 403), _pending_import),
    "devices:batch_import_cancel": Row(POST, (LOGIN, 302, 302, 403, 403), _pending_import),
    "devices:donor_list_preview": Row(GET, (LOGIN, 200, 404, 403, 200), _pending_list),
    "devices:donor_list_cancel": Row(POST, (LOGIN, 302, 404, 403, 302), _pending_list),
    "devices:batch_export": Row(GET, (LOGIN, 200, 200, 403, 403), _batch),
    "devices:import_template": Row(GET, (LOGIN, 200, 200, 403, 200)),
    "devices:batch_certificate": Row(GET, (LOGIN, PDF, PDF, 403, PDF), _batch),
    # Public by design: an auditor checks a printed certificate (no personal data shown).
    "devices:certificate_verify_form": Row(GET, (200, 200, 200, 200, 200)),
    "devices:certificate_verify": Row(
        GET, (200, 200, 200, 200, 200), lambda w: {"code": w.certificate.verification_code}
    ),
    # devices: inventory, labels, scanning
    "devices:device_list": Row(GET, (LOGIN, 200, 200, 200, 403)),
    "devices:device_detail": Row(
        GET, (LOGIN, 200, 200, 200, 403), lambda w: {"code": w.ready.inventory_code}
    ),
    "devices:labels_sheet": Row(
        GET, (LOGIN, PDF, PDF, 403, 403), query=lambda w: {"batch": w.batch.reference}
    ),
    "devices:device_correct": Row(
        GET, (LOGIN, 200, 200, 403, 403), lambda w: {"code": w.ready.inventory_code}
    ),
    "devices:label_single": Row(
        GET, (LOGIN, PDF, PDF, 403, 403), lambda w: {"code": w.ready.inventory_code}
    ),
    "devices:scan": Row(
        GET, (LOGIN, 302, 302, 302, 403), query=lambda w: {"code": w.ready.inventory_code}
    ),
    # devices: processing
    "devices:erasure_create": Row(
        GET, (LOGIN, 200, 200, 403, 403), lambda w: {"code": w.received.inventory_code}
    ),
    "devices:refurbishment_create": Row(
        GET, (LOGIN, 200, 200, 403, 403), lambda w: {"code": w.erased.inventory_code}
    ),
    "devices:device_dispose": Row(
        POST, (LOGIN, 302, 302, 403, 403), lambda w: {"code": w.received.inventory_code},
        data=lambda w: {"reason": "broken", "note": "Emolevy rikki"},
    ),
    # A device's storage media, and a second technician's validation of an erasure.
    "devices:medium_add": Row(
        POST, (LOGIN, 302, 302, 403, 403), lambda w: {"code": w.received.inventory_code},
        data=lambda w: {"medium-kind": "hdd", "medium-serial_number": "MATRIX-HDD"},
    ),
    "devices:medium_remove": Row(
        POST, (LOGIN, 302, 302, 403, 403),
        lambda w: {"code": w.received.inventory_code, "pk": w.received.media.get().pk},
    ),
    "devices:erasure_validate": Row(
        POST, (LOGIN, 302, 302, 403, 403),
        lambda w: {"code": w.erased.inventory_code, "pk": w.erased.erasures.get().pk},
    ),
    "devices:workqueue": Row(GET, (LOGIN, 200, 200, 403, 403)),
    # Wipe-tool reports: uploaded by technicians; the original downloaded by staff who erase.
    "devices:evidence_import": Row(GET, (LOGIN, 200, 200, 403, 403)),
    "devices:evidence_download": Row(
        GET, (LOGIN, 200, 200, 403, 403), lambda w: {"pk": w.evidence.pk}
    ),
    # devices: donor organisations (coordinator only)
    "devices:donor_list": Row(GET, (LOGIN, 200, 403, 403, 403)),
    "devices:donor_create": Row(GET, (LOGIN, 200, 403, 403, 403)),
    "devices:donor_detail": Row(GET, (LOGIN, 200, 403, 403, 403), lambda w: {"pk": w.donor.pk}),
    "devices:donor_edit": Row(GET, (LOGIN, 200, 403, 403, 403), lambda w: {"pk": w.donor.pk}),
    "devices:workqueue_scan": Row(
        GET, (LOGIN, 302, 302, 403, 403), query=lambda w: {"code": w.received.inventory_code}
    ),
    # clients: register and coaching
    "clients:client_list": Row(GET, (LOGIN, 200, 403, 200, 403)),
    "clients:client_create": Row(GET, (LOGIN, 200, 403, 200, 403)),
    "clients:waiting_list": Row(GET, (LOGIN, 200, 403, 200, 403)),
    "clients:client_detail": Row(GET, (LOGIN, 200, 403, 200, 403), _client),
    "clients:client_edit": Row(GET, (LOGIN, 200, 403, 200, 403), _client),
    "clients:milestone_record": Row(
        POST, (LOGIN, 302, 403, 302, 403), lambda w: {"code": w.coaching.code},
        data=lambda w: {
            f"done_{w.milestones[0].pk}": "on",
            f"completed_on_{w.milestones[0].pk}": timezone.localdate().isoformat(),
        },
    ),
    "clients:milestone_remove": Row(
        POST, (LOGIN, 302, 403, 302, 403),
        lambda w: {"code": w.client.code, "pk": w.client.milestones.first().pk},
    ),
    "clients:access_log": Row(GET, (LOGIN, 200, 403, 403, 403), _client),
    "clients:subject_access": Row(GET, (LOGIN, 200, 403, 403, 403), _client),
    # The readable subject-access PDF: the client's own coach too (another coach's: 404).
    "clients:subject_access_pdf": Row(GET, (LOGIN, PDF, 403, PDF, 403), _client),
    # clients: milestone catalogue and support points (coordinator only)
    "clients:milestone_list": Row(GET, (LOGIN, 200, 403, 403, 403)),
    "clients:milestone_create": Row(GET, (LOGIN, 200, 403, 403, 403)),
    "clients:milestone_edit": Row(
        GET, (LOGIN, 200, 403, 403, 403), lambda w: {"pk": w.milestones[0].pk}
    ),
    "clients:supportpoint_list": Row(GET, (LOGIN, 200, 403, 403, 403)),
    "clients:supportpoint_create": Row(GET, (LOGIN, 200, 403, 403, 403)),
    "clients:supportpoint_edit": Row(
        GET, (LOGIN, 200, 403, 403, 403), lambda w: {"pk": w.support_point.pk}
    ),
    # clients: matching and handover
    "clients:handover_reserve": Row(
        POST, (LOGIN, 302, 403, 302, 403), _client,
        data=lambda w: {"device": w.ready.inventory_code},
    ),
    "clients:handover_cancel": Row(
        POST, (LOGIN, 302, 403, 302, 403), lambda w: {"pk": w.reserved.pk}
    ),
    # The confirmation step answers 200; the reserved device is not prepared, so the
    # confirming post is refused and its form shown again (400).
    "clients:handover_complete": Row(
        POST, (LOGIN, 400, 403, 400, 403), lambda w: {"pk": w.reserved.pk},
        data=lambda w: {
            "kind": "gift", "handed_over_on": timezone.localdate().isoformat(), "step": "confirm"
        },
    ),
    "clients:handover_readiness": Row(
        POST, (LOGIN, 302, 403, 302, 403), lambda w: {"pk": w.reserved.pk},
        data=lambda w: {"language_set": "on", "updates_installed": "on"},
    ),
    "clients:handover_return": Row(
        POST, (LOGIN, 302, 403, 302, 403), lambda w: {"pk": w.loan.pk},
        data=lambda w: {"returned_on": timezone.localdate().isoformat(), "condition": "good"},
    ),
    "clients:handover_receipt": Row(
        GET, (LOGIN, PDF, 403, PDF, 403), lambda w: {"pk": w.gift.pk}
    ),
    "clients:overdue_loans": Row(GET, (LOGIN, 200, 403, 200, 403)),
    "clients:loan_reminder_letter": Row(
        GET, (LOGIN, PDF, 403, PDF, 403), lambda w: {"pk": w.loan.pk}
    ),
    "clients:return_receipt": Row(
        GET, (LOGIN, PDF, 403, PDF, 403), lambda w: {"pk": w.returned.pk}
    ),
    # reports (coordinator); a donor's yearly report also for the donor's own users
    "reports:dashboard": Row(GET, (LOGIN, 200, 403, 403, 403)),
    "reports:figures_csv": Row(GET, (LOGIN, 200, 403, 403, 403)),
    "reports:devices_csv": Row(GET, (LOGIN, 200, 403, 403, 403)),
    "reports:handovers_csv": Row(GET, (LOGIN, 200, 403, 403, 403)),
    "reports:funder_report": Row(GET, (LOGIN, PDF, 403, 403, 403), query=lambda w: {"lang": "sv"}),
    # The view admits every role and then 404s a donor that is not the user's own.
    "reports:donor_report": Row(
        GET, (LOGIN, PDF, 404, 404, PDF), lambda w: {"pk": w.donor.pk}
    ),
    # accounts: users (coordinator only); the coach's own account is the one changed
    "accounts:user_list": Row(GET, (LOGIN, 200, 403, 403, 403)),
    "accounts:user_invite": Row(GET, (LOGIN, 200, 403, 403, 403)),
    "accounts:user_detail": Row(
        GET, (LOGIN, 200, 403, 403, 403), lambda w: {"pk": w.client.coach_id}
    ),
    "accounts:user_change_role": Row(
        POST, (LOGIN, 302, 403, 403, 403), lambda w: {"pk": w.client.coach_id},
        data=lambda w: {"role": "Teknikko"},
    ),
    "accounts:user_deactivate": Row(
        POST, (LOGIN, 302, 403, 403, 403), lambda w: {"pk": w.client.coach_id}
    ),
    "accounts:user_reactivate": Row(
        POST, (LOGIN, 302, 403, 403, 403), lambda w: {"pk": w.client.coach_id}
    ),
    "accounts:user_invitation_resend": Row(
        POST, (LOGIN, 302, 403, 403, 403), lambda w: {"pk": w.client.coach_id}
    ),
    # accounts: the way in without a password, public like Django's login pages (an
    # invitation link that is not valid shows its explanation page)
    "accounts:password_reset": Row(GET, (200, 200, 200, 200, 200)),
    "accounts:invitation_accept": Row(
        GET, (200, 200, 200, 200, 200), lambda w: {"uidb64": "MQ", "token": "x-y"}
    ),
    # accounts: two-factor login, everyone's own (nobody here is enrolled, REQUIRE_2FA off);
    # the code page and the device changes send a user without a device on (302).
    "accounts:two_factor_manage": Row(GET, (LOGIN, 200, 200, 200, 200)),
    "accounts:two_factor_enrol": Row(GET, (LOGIN, 200, 200, 200, 200)),
    "accounts:two_factor_verify": Row(GET, (LOGIN, 302, 302, 302, 302)),
    "accounts:two_factor_recovery_codes": Row(POST, (LOGIN, 302, 302, 302, 302)),
    "accounts:two_factor_remove": Row(POST, (LOGIN, 302, 302, 302, 302)),
    "accounts:two_factor_remove_for_user": Row(
        POST, (LOGIN, 302, 403, 403, 403), lambda w: {"pk": w.client.coach_id}
    ),
}
# fmt: on


def project_url_names():
    """The qualified names of every URL pattern, walked from the root resolver."""
    names, unnamed = set(), []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                module = getattr(entry.urlconf_name, "__name__", None)
                if module in EXCLUDED_URLCONFS or entry.namespace in EXCLUDED_NAMESPACES:
                    continue
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}{entry.namespace}:"
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern):
                if entry.name is None:
                    unnamed.append(str(entry.pattern))
                else:
                    names.add(namespace + entry.name)

    walk(get_resolver().url_patterns, "")
    return names, unnamed


def test_every_url_has_a_row():
    names, unnamed = project_url_names()
    assert not unnamed, f"URL patterns without a name cannot be checked: {unnamed}"
    missing = sorted(names - MATRIX.keys())
    stale = sorted(MATRIX.keys() - names)
    assert not missing, f"add these URLs to the permission MATRIX: {missing}"
    assert not stale, f"these MATRIX rows name no URL any more: {stale}"


class World:
    """One of everything a URL kwarg can point at, made through the real services."""

    def __init__(
        self, *, coordinator, technician, coach, other_coach, donor, other_donor, donor_user
    ):
        self.donor = donor
        self.milestones = factories.make_milestones()
        self.batch = factories.make_batch(donor, technician, declared_count=8)
        self.registered = factories.make_batch(donor, technician, received=False)
        self.received = factories.make_device(self.batch, technician)
        self.erased = factories.make_device(self.batch, technician)
        factories.erase(self.erased, technician)
        self.ready = factories.make_ready_device(self.batch, technician)
        reserved_device = factories.make_ready_device(self.batch, technician)
        gift_device = factories.make_ready_device(self.batch, technician)
        loan_device = factories.make_ready_device(self.batch, technician)
        returned_device = factories.make_ready_device(self.batch, technician)

        self.pending_import = PendingImport.objects.store(
            user=technician,
            batch=self.batch,
            purpose=PendingImport.Purpose.BATCH_IMPORT,
            original_name="laitteet.csv",
            content=PENDING_CSV.encode(),
        )
        self.pending_list = PendingImport.objects.store(
            user=donor_user,
            batch=self.registered,
            purpose=PendingImport.Purpose.DONOR_LIST,
            original_name="lahjoitus.csv",
            content=PENDING_CSV.encode(),
        )

        self.other_batch = factories.make_batch(other_donor, technician)
        self.other_device = factories.make_ready_device(self.other_batch, technician)

        self.client = factories.make_eligible_client(coach, name="Aino Asiakas")
        self.coaching = factories.make_client(coach, name="Bertta Aloittaja")
        self.reserved = self._handover(coach, reserved_device, "Cecilia Varaaja")
        self.gift = self._handover(coach, gift_device, "Daniel Lahja", kind=Handover.Kind.GIFT)
        self.loan = self._handover(coach, loan_device, "Eero Laina", kind=Handover.Kind.LOAN)
        self.returned = services.handover_return(
            handover=self._handover(
                coach, returned_device, "Fanni Palauttaja", kind=Handover.Kind.LOAN
            ),
            actor=coach,
            returned_on=timezone.localdate(),
            condition="B",
        )
        self.other_client = factories.make_eligible_client(other_coach, name="Oona Muu")
        self.other_handover = self._handover(
            other_coach, self.other_device, "Otto Muu", kind=Handover.Kind.GIFT
        )
        self.evidence = EvidenceFile(
            original_name="nwipe.log",
            sha256="0" * 64,
            size=6,
            kind=EvidenceFile.Kind.NWIPE_LOG,
            uploaded_by=technician,
        )
        self.evidence.file.save("nwipe.log", ContentFile(b"nwipe\n"), save=True)
        self.support_point = SupportPoint.objects.create(
            name="Hämeenlinnan pääkirjasto",
            municipality=factories.municipality("Hämeenlinna"),
            address="Lukiokatu 2",
            opening_hours="ma–to 10–18",
        )
        self.certificate = device_services.certificate_issue(batch=self.batch, actor=technician)

    def _handover(self, coach, device, name, *, kind=None):
        client = factories.make_eligible_client(coach, name=name)
        handover = services.handover_reserve(client=client, device=device, actor=coach)
        if kind is not None:
            due = timezone.localdate() + datetime.timedelta(days=60)
            factories.prepare_for_handover(handover, coach)
            handover = services.handover_complete(
                handover=handover,
                actor=coach,
                kind=kind,
                due_date=due if kind == Handover.Kind.LOAN else None,
            )
        return handover


@pytest.fixture
def world(
    coordinator, technician, coach, other_coach, donor, other_donor, donor_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"  # the evidence file the download row fetches
    return World(
        coordinator=coordinator,
        technician=technician,
        coach=coach,
        other_coach=other_coach,
        donor=donor,
        other_donor=other_donor,
        donor_user=donor_user,
    )


_USER_FIXTURE = {
    "coordinator": "coordinator",
    "technician": "technician",
    "coach": "coach",
    "donor": "donor_user",
}


def _outcome(response):
    """What the user got, in the table's terms."""
    if response.status_code == 302 and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    ):
        return LOGIN
    if response.status_code == 200 and response.get("Content-Type") == "application/pdf":
        assert response.content.startswith(b"%PDF-")
        return PDF
    return response.status_code


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(request, world, name):
    """One URL as each of the five users; each request's writes are rolled back after it."""
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(world))
    got = {}
    for role in ROLES:
        http = HttpClient()
        if role != "anonymous":
            http.force_login(request.getfixturevalue(_USER_FIXTURE[role]))
        # The world is built once per URL; a savepoint keeps one role's POST from
        # changing what the next role finds.
        with transaction.atomic():
            if row.method == GET:
                response = http.get(url, row.query(world))
            else:
                response = http.post(url, row.data(world))
            got[role] = _outcome(response)
            transaction.set_rollback(True)
    expected = dict(zip(ROLES, row.expected, strict=True))
    assert got == expected, f"{row.method.upper()} {url}"


POST_ONLY = sorted(name for name, row in MATRIX.items() if row.method == POST)


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_views_refuse_get(world, coordinator_client, name):
    url = reverse(name, kwargs=MATRIX[name].kwargs(world))
    assert coordinator_client.get(url).status_code == 405


# Object-level checks: another organisation's or another coach's objects do not exist for you.


def test_donor_gets_404_for_another_donors_batch(world, donor_client):
    other = world.other_batch.reference
    assert donor_client.get(reverse("devices:batch_detail", args=[other])).status_code == 404
    certificate = reverse("devices:batch_certificate", args=[other])
    assert donor_client.get(certificate).status_code == 404
    report = reverse("reports:donor_report", args=[world.other_batch.donor.pk])
    assert donor_client.get(report).status_code == 404


def test_donor_sees_neither_another_donors_devices_nor_their_batch_in_lists(world, donor_client):
    other_code = world.other_device.inventory_code
    # Device pages are staff pages: a donor is refused them whoever owns the device.
    detail = reverse("devices:device_detail", args=[other_code])
    assert donor_client.get(detail).status_code == 403
    for page in (reverse("home"), reverse("devices:batch_list"), world.batch.get_absolute_url()):
        body = donor_client.get(page).content.decode()
        assert world.other_batch.reference not in body
        assert other_code not in body
    assert world.batch.reference in donor_client.get(reverse("devices:batch_list")).content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "clients:client_detail",
        "clients:client_edit",
        "clients:handover_reserve",
        "clients:subject_access_pdf",
    ],
)
def test_coach_gets_404_for_another_coachs_client(world, coach_client, name):
    url = reverse(name, args=[world.other_client.code])
    response = coach_client.post(url) if name in POST_ONLY else coach_client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "clients:handover_receipt",
        "clients:loan_reminder_letter",
        "clients:return_receipt",
        "clients:handover_cancel",
        "clients:handover_complete",
        "clients:handover_readiness",
        "clients:handover_return",
    ],
)
def test_coach_gets_404_for_another_coachs_handover(world, coach_client, name):
    url = reverse(name, args=[world.other_handover.pk])
    response = coach_client.post(url) if name in POST_ONLY else coach_client.get(url)
    assert response.status_code == 404
    world.other_handover.refresh_from_db()
    assert world.other_handover.status == Handover.Status.HANDED_OVER


def test_access_log_refuses_a_coach_alike_for_own_and_other_clients(world, coach_client):
    # The access log is a coordinator page: a coach gets the same 403 for any client code,
    # so the answer says nothing about whether another coach's client exists.
    own = coach_client.get(reverse("clients:access_log", args=[world.client.code]))
    other = coach_client.get(reverse("clients:access_log", args=[world.other_client.code]))
    assert own.status_code == other.status_code == 403


def test_coach_lists_show_only_own_clients(world, coach_client):
    for page in ("clients:client_list", "clients:waiting_list"):
        body = coach_client.get(reverse(page)).content.decode()
        assert world.other_client.code not in body
    assert world.client.code in coach_client.get(reverse("clients:client_list")).content.decode()


def test_coach_cannot_reserve_a_device_for_another_coachs_client(world, coach_client):
    url = reverse("clients:handover_reserve", args=[world.other_client.code])
    response = coach_client.post(url, {"device": world.ready.inventory_code})
    assert response.status_code == 404
    world.ready.refresh_from_db()
    assert world.ready.status == Device.Status.READY
    assert not Handover.objects.filter(client=world.other_client).exists()
