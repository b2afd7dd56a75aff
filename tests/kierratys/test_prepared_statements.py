"""On PostgreSQL a statement a connection runs again and again is prepared once (the device
page's joins took longer to plan than to run), and an empty DATABASE_PREPARE_THRESHOLD turns
preparing off for a pooler in transaction mode. The settings read the environment once at
import, so the environment's effect is checked in a subprocess."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from devices.models import Device

PRINT_OPTIONS = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
)


def options_with(**environment):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kierratys.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/kierratys",
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "-c", PRINT_OPTIONS],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def test_postgresql_binds_on_the_server_and_prepares_after_five_runs():
    options = options_with()
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    assert "jit=off" in options["options"]


def test_an_empty_threshold_turns_preparing_off_for_a_pooler():
    assert options_with(DATABASE_PREPARE_THRESHOLD="")["prepare_threshold"] is None
    assert options_with(DATABASE_PREPARE_THRESHOLD="0")["prepare_threshold"] == 0


@pytest.mark.django_db
def test_a_statement_run_again_and_again_is_prepared_once():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's: run with DATABASE_URL set")
    for _ in range(8):
        list(Device.objects.filter(inventory_code="DK-NONE").values_list("pk"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "devices_device" WHERE "devices_device"."inventory_code" = $1%'],
        )
        (prepared,) = cursor.fetchone()
    assert prepared == 1
