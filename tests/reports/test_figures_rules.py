"""Stored figures built by other rules than today's are rebuilt at the next migrate, once;
figures built by today's rules are left alone."""

import pytest
from django.apps import apps

from devices.models import Donor
from kierratys import figures
from kierratys.figure_models import FigureCount, FigureStamp
from reports import figures_source
from tests import factories

pytestmark = pytest.mark.django_db


def _migrated():
    figures_source.fill_after_migrate(apps.get_app_config("kierratys"), plan=[])


@pytest.fixture
def device(technician):
    donor = Donor.objects.create(name="Lahjoittaja Oy", kind=Donor.Kind.COMPANY)
    return factories.make_device(factories.make_batch(donor, technician), technician)


def _received():
    return FigureCount.objects.get(metric=figures_source.RECEIVED, grain=FigureCount.TOTAL).value


def test_figures_of_older_rules_are_rebuilt_once(device):
    FigureCount.objects.filter(metric=figures_source.RECEIVED).delete()  # as older rules had
    FigureStamp.objects.update(rules=figures_source.RULES - 1)
    _migrated()
    assert _received() == 1
    assert figures.figures_rules() == figures_source.RULES


def test_figures_of_todays_rules_are_left_alone(device):
    assert figures.figures_rules() == figures_source.RULES
    FigureCount.objects.filter(metric=figures_source.RECEIVED).update(value=5)
    _migrated()
    assert _received() == 5  # not rebuilt: check_figures reports such drift, --repair mends it


def test_an_empty_programme_is_marked_current_without_a_rebuild():
    FigureStamp.objects.update(rules=0)
    _migrated()
    assert figures.figures_rules() == figures_source.RULES
    assert not FigureCount.objects.exists()
