"""The database cache's table (settings.CACHES): the verification throttle's shared counts."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # createcachetable makes the table of every DatabaseCache in settings.CACHES, and
    # nothing when none is configured (a deployment that chose another cache).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("kierratys", "0004_figure_rank")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
