"""Client.eligible_since and has_open_handover are stored: after any sequence of changes
they equal the live rules.

Random sequences of what coaches and coordinators do, through the real services, compared
after every step with clients.selectors.live_eligible_since() (what `check_figures`
compares on a real database)."""

import datetime
import importlib
import random

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clients import selectors, services
from clients.eligibility_check import eligibility_drift
from clients.milestone_records import client_milestones_record
from clients.models import Client, Handover, Milestone
from devices.models import Device
from tests.factories import (
    make_batch,
    make_client,
    make_milestones,
    make_ready_device,
    prepare_for_handover,
)

pytestmark = pytest.mark.django_db


def _live_waiting():
    """The waiting list worked out from the milestones, as it was before the field was stored."""
    live = Client.objects.annotate(live=selectors.live_eligible_since()).filter(
        status=Client.Status.COACHING, live__isnull=False
    )
    open_keys = Handover.objects.filter(status__in=Handover.OPEN_STATUSES).values("client")
    rows = live.exclude(pk__in=open_keys).values_list("pk", "live", "code")
    return [pk for pk, _live, _code in sorted(rows, key=lambda row: (row[1], row[2]))]


class Programme:
    """A small programme and the random things people do in it."""

    def __init__(self, rng, coach, coordinator, technician, donor):
        self.rng, self.coach, self.coordinator = rng, coach, coordinator
        self.catalogue = list(make_milestones(actor=coordinator))
        self.clients = [make_client(coach, name=f"Asiakas {n}") for n in range(4)]
        batch = make_batch(donor, technician)
        self.devices = [make_ready_device(batch, technician) for _ in range(3)]
        self.new_codes = iter(f"vaihe-{n}" for n in range(1000))

    def _day(self):
        return timezone.localdate() - datetime.timedelta(days=self.rng.randint(0, 60))

    def _client(self):
        return Client.objects.get(pk=self.rng.choice(self.clients).pk)

    def record(self):
        client = self._client()
        done = set(client.milestones.values_list("milestone", flat=True))
        todo = [m for m in Milestone.objects.filter(active=True) if m.pk not in done]
        if todo:
            picked = self.rng.sample(todo, self.rng.randint(1, min(4, len(todo))))
            records = [(milestone, self._day(), "") for milestone in picked]
            client_milestones_record(client=client, records=records, actor=self.coach)

    def remove(self):
        records = list(self._client().milestones.all())
        if records:
            services.client_milestone_remove(record=self.rng.choice(records), actor=self.coach)

    def add_step(self):
        code = next(self.new_codes)
        services.milestone_create(
            actor=self.coordinator,
            code=code,
            order=self.rng.randint(1, 99),
            required=self.rng.random() < 0.6,
            active=self.rng.random() < 0.8,
            name_fi=code,
            name_sv=code,
            name_en=code,
        )

    def change_step(self):
        milestone = self.rng.choice(list(Milestone.objects.all()))
        field = self.rng.choice(["required", "active", "order"])
        value = self.rng.randint(1, 99) if field == "order" else not getattr(milestone, field)
        services.milestone_update(milestone=milestone, actor=self.coordinator, **{field: value})

    def consent(self):
        services.client_update(client=self._client(), actor=self.coach, consent_date=self._day())

    def reserve(self):
        ready = [d for d in self.devices if not Handover.objects.filter(device=d).exists()]
        # Mostly a client the live rule makes eligible, so reservations do happen.
        eligible = list(
            Client.objects.annotate(live=selectors.live_eligible_since()).filter(
                status=Client.Status.COACHING, live__isnull=False
            )
        )
        client = self.rng.choice(eligible) if eligible and self.rng.random() < 0.8 else None
        if ready:
            services.handover_reserve(
                client=client or self._client(), device=ready[0], actor=self.coach
            )

    def _open(self, status):
        return Handover.objects.filter(status=status).order_by("?").first()

    def cancel(self):
        if handover := self._open(Handover.Status.RESERVED):
            services.handover_cancel(handover=handover, actor=self.coach)

    def hand_over(self):
        if handover := self._open(Handover.Status.RESERVED):
            prepare_for_handover(handover, self.coach)
            kind = self.rng.choice([Handover.Kind.GIFT, Handover.Kind.LOAN])
            due = timezone.localdate() + datetime.timedelta(days=30)
            services.handover_complete(
                handover=handover,
                actor=self.coach,
                kind=kind,
                due_date=due if kind == Handover.Kind.LOAN else None,
            )

    def give_back(self):
        loan = Handover.objects.filter(
            status=Handover.Status.HANDED_OVER, kind=Handover.Kind.LOAN
        ).first()
        if loan:
            services.handover_return(
                handover=loan,
                actor=self.coach,
                returned_on=timezone.localdate(),
                condition=Device.Grade.B,
            )

    def close(self):
        services.client_close(client=self._client(), actor=self.coach)

    def reopen(self):
        client = self._client()
        if client.status == Client.Status.CLOSED:
            services.client_update(client=client, actor=self.coach, status=Client.Status.COACHING)

    OPERATIONS = {
        "record": 8,
        "remove": 2,
        "add_step": 1,
        "change_step": 2,
        "consent": 1,
        "reserve": 3,
        "cancel": 1,
        "hand_over": 1,
        "give_back": 1,
        "close": 1,
        "reopen": 1,
    }

    def step(self):
        name = self.rng.choices(list(self.OPERATIONS), weights=self.OPERATIONS.values())[0]
        try:
            getattr(self, name)()
        except ValidationError:  # refused by a rule (not eligible, open handover, …): no change
            pass
        return name


@pytest.mark.parametrize("seed", range(4))
def test_stored_eligibility_equals_the_rule_after_any_changes(
    seed, coach, coordinator, technician, donor
):
    programme = Programme(random.Random(seed), coach, coordinator, technician, donor)
    done, seen = [], set()
    for _ in range(60):
        done.append(programme.step())
        assert eligibility_drift() == [], f"after {done}"
        waiting = list(selectors.waiting_queue().values_list("pk", flat=True))
        assert waiting == _live_waiting(), f"after {done}"
        seen.update(day is None for day in Client.objects.values_list("eligible_since", flat=True))
    # The sequence did reach both sides of the rule, and handovers moved the waiting list.
    assert seen == {True, False}
    assert Handover.objects.exists()


def test_eligible_since_is_the_day_of_the_last_required_milestone(coach, coordinator):
    milestones = make_milestones(actor=coordinator)
    client = make_client(coach)
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in (30, 5, 12, 20)]
    for milestone, day in zip(milestones, days, strict=True):
        assert Client.objects.get(pk=client.pk).eligible_since is None
        services.client_milestone_record(
            client=client, milestone=milestone, actor=coach, completed_on=day
        )
    assert Client.objects.get(pk=client.pk).eligible_since == max(days)
    # The step done last no longer counts: the day moves back to the next latest.
    services.milestone_update(milestone=milestones[1], actor=coordinator, required=False)
    assert Client.objects.get(pk=client.pk).eligible_since == days[2]


def test_with_no_required_step_clients_are_eligible_since_their_consent(coach, coordinator):
    consent = timezone.localdate() - datetime.timedelta(days=3)
    client = make_client(coach, consent_date=consent)
    assert selectors.is_eligible(client)
    assert Client.objects.get(pk=client.pk).eligible_since == consent
    make_milestones(actor=coordinator)
    assert not selectors.is_eligible(client)


def test_drift_check_reports_a_client_whose_stored_day_is_wrong(coach, coordinator):
    milestones = make_milestones(actor=coordinator)
    eligible, started = make_client(coach), make_client(coach)
    for milestone in milestones:
        services.client_milestone_record(
            client=eligible, milestone=milestone, actor=coach, completed_on=timezone.localdate()
        )
    assert eligibility_drift() == []
    Client.objects.filter(pk=eligible.pk).update(eligible_since=None)
    Client.objects.filter(pk=started.pk).update(eligible_since=timezone.localdate())
    assert eligibility_drift() == sorted([eligible.pk, started.pk])
    Client.objects.filter(pk=started.pk).update(eligible_since=None)
    Client.objects.filter(pk=eligible.pk).update(eligible_since=datetime.date(2020, 1, 1))
    assert eligibility_drift() == [eligible.pk]
    Client.objects.filter(pk=eligible.pk).update(eligible_since=timezone.localdate())
    Client.objects.filter(pk=started.pk).update(has_open_handover=True)
    assert eligibility_drift() == [started.pk]


def test_migration_fills_eligible_since_of_existing_clients(coach, coordinator):
    milestones = make_milestones(actor=coordinator)
    client = make_client(coach)
    day = timezone.localdate() - datetime.timedelta(days=7)
    for milestone in milestones:
        services.client_milestone_record(
            client=client, milestone=milestone, actor=coach, completed_on=day
        )
    make_client(coach)
    Client.objects.update(eligible_since=None)  # as the new column stands before the data step
    migration = importlib.import_module("clients.migrations.0011_client_eligible_since")
    migration.fill_eligible_since(apps, None)
    assert eligibility_drift() == []
    assert Client.objects.get(pk=client.pk).eligible_since == day


def test_catalogue_edit_in_the_admin_moves_eligibility(client, coach, django_user_model):
    admin_user = django_user_model.objects.create_superuser("paakayttaja", password="x")
    milestones = make_milestones(actor=admin_user)
    resident = make_client(coach)
    for milestone in milestones[:-1]:
        services.client_milestone_record(
            client=resident, milestone=milestone, actor=coach, completed_on=timezone.localdate()
        )
    assert not selectors.is_eligible(resident)
    client.force_login(admin_user)
    last = milestones[-1]
    response = client.post(
        reverse("admin:clients_milestone_change", args=[last.pk]),
        {
            "code": last.code,
            "name_fi": last.name_fi,
            "name_sv": last.name_sv,
            "name_en": last.name_en,
            "order": last.order,
            "active": "on",  # "required" left unticked
        },
    )
    assert response.status_code == 302
    assert selectors.is_eligible(resident)
    assert eligibility_drift() == []
