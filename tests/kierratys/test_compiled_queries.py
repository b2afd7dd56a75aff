"""A query compiled once gives what its queryset gives, for every value, in one query of the
same SQL; one whose SQL would depend on its value is refused when it is made."""

import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from devices.models import Device, Erasure
from kierratys.compiled_queries import CompiledQuery
from tests.factories import erase, make_batch, make_device

pytestmark = pytest.mark.django_db


def device_by_code(code):
    return Device.objects.select_related("batch__donor").filter(inventory_code=code)


def erasures_of(pk):
    return Erasure.objects.filter(device_id=pk).select_related("evidence").order_by("-ended_at")


def fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def devices(donor, technician):
    batch = make_batch(donor, technician)
    first, second = make_device(batch, technician), make_device(batch, technician)
    erase(first, technician, result=Erasure.Result.FAILED, failure_reason="levy ei vastaa")
    erase(first, technician)
    return first, second


def test_it_gives_the_objects_and_related_objects_of_its_queryset_for_each_value(devices):
    by_code = CompiledQuery(device_by_code, str)
    for device in (*devices, devices[0]):
        [compiled] = by_code(device.inventory_code)
        [plain] = device_by_code(device.inventory_code)
        assert fields(compiled) == fields(plain)
        with CaptureQueriesContext(connection) as reading:
            donor = compiled.batch.donor.name
        assert reading.captured_queries == []
        assert donor == plain.batch.donor.name
    assert by_code("EI-TÄLLAISTA") == []


def test_it_runs_the_querysets_own_sql_once_a_call(devices):
    of_device = CompiledQuery(erasures_of, int)
    first, second = devices
    for device in (first, second, first):
        with CaptureQueriesContext(connection) as plain:
            expected = [fields(e) for e in erasures_of(device.pk)]
        with CaptureQueriesContext(connection) as compiled:
            given = [fields(e) for e in of_device(device.pk)]
        assert given == expected
        assert [q["sql"] for q in compiled.captured_queries] == [
            q["sql"] for q in plain.captured_queries
        ]
    assert [e.result for e in of_device(first.pk)] == ["passed", "failed"]
    assert of_device(second.pk) == []


@pytest.mark.django_db(transaction=True)
def test_each_thread_runs_it_on_its_own_connection(donor, technician):
    device = make_device(make_batch(donor, technician), technician)
    by_code = CompiledQuery(device_by_code, str)
    assert by_code(device.inventory_code)[0].pk == device.pk  # compiled in this thread
    found, used = [], []

    def other_thread():
        try:
            with CaptureQueriesContext(connections["default"]) as captured:
                found.extend(by_code(device.inventory_code))
            used.append(len(captured.captured_queries))
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert [d.pk for d in found] == [device.pk]
    assert used == [1]  # on the other thread's connection, not on this one's


def test_a_query_whose_sql_depends_on_its_value_is_refused():
    unused = CompiledQuery(lambda code: Device.objects.filter(inventory_code="DK1"), str)
    with pytest.raises(ImproperlyConfigured, match="not used"):
        unused("DK2")
    twice = CompiledQuery(
        lambda code: Device.objects.filter(inventory_code=code, serial_number=code), str
    )
    with pytest.raises(ImproperlyConfigured, match="used twice"):
        twice("DK2")
    with pytest.raises(ImproperlyConfigured, match="int or str"):
        CompiledQuery(lambda day: Device.objects.filter(logged_at__date=day), object)


def test_a_value_of_another_kind_or_count_is_refused():
    by_code = CompiledQuery(device_by_code, str)
    with pytest.raises(TypeError):
        by_code(None)
    with pytest.raises(TypeError):
        by_code(12)
    with pytest.raises(TypeError):
        by_code("DK1", "DK2")
    with pytest.raises(TypeError):
        CompiledQuery(erasures_of, int)(True)
