"""The stored dashboard figures equal the live computation after random use of the services.

Random sequences of what users do (intake, spreadsheet import, erasures passed and failed,
refurbishment, reservations, gifts, loans and returns, disposals, clients created, moved,
closed, milestones recorded and removed, a catalogue change) on random days, through the
real services with only the clock patched; then every dashboard figure (stored counters)
is compared with the live aggregates (reports.selectors.live) for many filters, and every
stored counter with what the live data adds up to."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients import selectors
from clients import services as client_services
from clients.models import Client, ClientMilestone, Handover
from devices import imports, lifecycle
from devices.models import Device, Erasure
from devices.spreadsheets import read_table
from kierratys.figure_models import FigureCount
from reports import figures_check
from reports.selectors import dashboard, impact, live
from reports.selectors.filters import ReportFilter
from tests import factories
from tests.kierratys import programme

pytestmark = pytest.mark.django_db

MUNICIPALITIES = ("Hämeenlinna", "Tampere", "Hattula")
START = programme.moment(2, 1, year=2024)
STEPS = 200


def refused(action):
    """Run a service call; a refusal (the rules said no) is part of random use."""
    try:
        action()
    except ValidationError:
        pass


class Programme:
    def __init__(self, rng, donors, technician, coach, coordinator):
        self.rng, self.technician, self.coach, self.coordinator = (
            rng,
            technician,
            coach,
            coordinator,
        )
        self.now = START
        self.milestones = factories.make_milestones()
        self.municipalities = [factories.municipality(name) for name in MUNICIPALITIES]
        with programme.clock(self.now):
            self.batches = [factories.make_batch(donor, technician) for donor in donors]
        self.serial = 0

    def pick(self, queryset):
        found = list(queryset.order_by("pk"))
        return self.rng.choice(found) if found else None

    def step(self):
        # A few hours or many days later: events on the same day, in a month, across months.
        self.now += datetime.timedelta(hours=self.rng.choice([1, 3, 20, 30, 24 * 4, 24 * 20]))
        action = self.rng.choice(self.ACTIONS)
        with programme.clock(self.now):
            refused(lambda: action(self))

    def intake(self):
        category = self.rng.choice([Device.Category.LAPTOP, Device.Category.PHONE])
        factories.make_device(self.rng.choice(self.batches), self.technician, category=category)

    def spreadsheet(self):
        self.serial += 1
        text = "laji;valmistaja;malli;sarjanumero\n" + "".join(
            f"kannettava;Lenovo;T480;RND{self.serial}X{n}\n" for n in range(3)
        )
        batch = self.rng.choice(self.batches)
        plan = imports.plan_batch_import(batch=batch, table=read_table("a.csv", text.encode()))
        imports.batch_import_confirm(batch=batch, actor=self.technician, plan=plan)

    def erase(self):
        device = self.pick(Device.objects.filter(status=Device.Status.RECEIVED))
        if device:
            result = self.rng.choice([Erasure.Result.PASSED] * 3 + [Erasure.Result.FAILED])
            factories.erase(device, self.technician, result=result)

    def refurbish(self):
        device = self.pick(Device.objects.filter(status=Device.Status.ERASED))
        if device:
            factories.refurbish(device, self.technician)

    def dispose(self):
        device = self.pick(Device.objects.filter(status=Device.Status.RECEIVED))
        if device:
            lifecycle.device_dispose(
                device=device,
                actor=self.technician,
                disposal_reason=Device.DisposalReason.RETURNED,
            )

    def new_client(self):
        client = factories.make_client(
            self.coach,
            municipality=self.rng.choice(self.municipalities),
            service=self.rng.choice(list(Client.Service)),
        )
        count = self.rng.choice([0, 1, len(self.milestones), len(self.milestones)])
        factories.complete_milestones(client, self.coach, self.milestones[:count])

    def milestone(self):
        client = self.pick(Client.objects.filter(status=Client.Status.COACHING))
        if client:
            done = set(client.milestones.values_list("milestone_id", flat=True))
            missing = [m for m in self.milestones if m.pk not in done]
            if missing:
                factories.complete_milestones(client, self.coach, missing[:1])

    def unrecord(self):
        record = self.pick(ClientMilestone.objects.filter(client__status=Client.Status.COACHING))
        if record:
            client_services.client_milestone_remove(record=record, actor=self.coach)

    def move(self):
        client = self.pick(Client.objects.all())
        if client:
            client_services.client_update(
                client=client,
                actor=self.coordinator,
                municipality=self.rng.choice(self.municipalities),
                service=self.rng.choice(list(Client.Service)),
            )

    def close(self):
        client = self.pick(Client.objects.exclude(status=Client.Status.CLOSED))
        if client:
            client_services.client_close(client=client, actor=self.coordinator)

    def reserve(self):
        device = self.pick(Device.objects.filter(status=Device.Status.READY))
        client = self.pick(selectors.waiting_list())
        if device and client:
            client_services.handover_reserve(client=client, device=device, actor=self.coach)

    def cancel(self):
        handover = self.pick(Handover.objects.filter(status=Handover.Status.RESERVED))
        if handover:
            client_services.handover_cancel(handover=handover, actor=self.coach)

    def hand_over(self):
        handover = self.pick(Handover.objects.filter(status=Handover.Status.RESERVED))
        if handover:
            factories.prepare_for_handover(handover, self.coach)
            loan = self.rng.random() < 0.5
            client_services.handover_complete(
                handover=handover,
                actor=self.coach,
                kind=Handover.Kind.LOAN if loan else Handover.Kind.GIFT,
                due_date=timezone.localdate() + datetime.timedelta(days=60) if loan else None,
            )

    def give_back(self):
        handover = self.pick(
            Handover.objects.filter(status=Handover.Status.HANDED_OVER, kind=Handover.Kind.LOAN)
        )
        if handover:
            client_services.handover_return(
                handover=handover,
                actor=self.coach,
                returned_on=timezone.localdate(),
                condition=Device.Grade.B,
            )

    def catalogue(self):
        milestone = self.rng.choice(self.milestones)
        client_services.milestone_update(
            milestone=milestone, actor=self.coordinator, required=not milestone.required
        )
        milestone.refresh_from_db()

    ACTIONS = (
        [intake] * 4
        + [spreadsheet, dispose, unrecord, move, move, close, cancel, catalogue]
        + [erase] * 5
        + [refurbish] * 4
        + [new_client] * 4
        + [milestone] * 2
        + [reserve] * 4
        + [hand_over] * 4
        + [give_back] * 2
    )


def filters_to_compare(rng, municipalities, end):
    days = (end.date() - START.date()).days
    found = [ReportFilter(), ReportFilter(municipality=municipalities[0].code)]
    for _ in range(10):
        start = START.date() + datetime.timedelta(days=rng.randint(-5, days))
        stop = start + datetime.timedelta(days=rng.choice([0, 3, 31, 45, 120, 400]))
        municipality = rng.choice(["", "", *[m.code for m in municipalities]])
        found += [
            ReportFilter(date_from=start, date_to=stop, municipality=municipality),
            ReportFilter(date_from=start, municipality=municipality),
            ReportFilter(date_to=stop, municipality=municipality),
        ]
    # Whole months and years, where month rows alone are summed.
    found += [
        ReportFilter(date_from=datetime.date(2024, 2, 1), date_to=datetime.date(2024, 2, 29)),
        ReportFilter(date_from=datetime.date(2024, 1, 1), date_to=datetime.date(2024, 12, 31)),
    ]
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_stored_figures_equal_the_live_ones_after_random_use(
    seed, donor, other_donor, technician, coach, coordinator
):
    rng = random.Random(seed)
    state = Programme(rng, [donor, other_donor], technician, coach, coordinator)
    for _ in range(STEPS):
        state.step()
    assert Handover.objects.filter(handed_over_at__isnull=False).exists()
    assert Erasure.objects.filter(result=Erasure.Result.FAILED).exists()
    assert figures_check.counter_drift() == []
    assert figures_check.entity_drift() == []
    with programme.clock(state.now):
        filters = filters_to_compare(rng, state.municipalities, state.now)
        assert figures_check.dashboard_drift(filters) == []
        for each in filters:
            for who in (donor, other_donor):
                assert dashboard.donor_totals(each, donor=who) == live.donor_totals(each, donor=who)
                assert impact.impact_total(each, donor=who) == live.impact_total(each, donor=who)


def test_check_figures_reports_drift_and_repair_fixes_it(known, capsys):
    call_command("check_figures")  # no drift: returns
    FigureCount.objects.filter(metric="handover").update(value=7)
    with pytest.raises(CommandError) as refused_check:
        call_command("check_figures")
    assert refused_check.value.returncode == 1  # manage.py exits with it
    assert "handover" in capsys.readouterr().err
    call_command("check_figures", "--repair")
    assert figures_check.counter_drift() == []
    assert figures_check.dashboard_drift() == []


def _figure_queries(filters):
    with CaptureQueriesContext(connection) as context:
        dashboard.dashboard_figures(filters)
        impact.impact_figures(filters)
        dashboard.headline_figures()
    return len(context.captured_queries)


def test_the_stored_figures_cost_the_same_queries_however_much_data(
    known, donor, technician, coach
):
    filters = [
        ReportFilter(),
        ReportFilter(date_from=datetime.date(2025, 1, 5), date_to=datetime.date(2025, 3, 20)),
        ReportFilter(date_from=datetime.date(2025, 2, 1), municipality="837"),
    ]
    few = [_figure_queries(each) for each in filters]
    programme.add_devices(donor, technician, coach, 30)
    assert [_figure_queries(each) for each in filters] == few
    assert max(few) <= 15
