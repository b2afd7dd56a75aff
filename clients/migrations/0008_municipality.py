"""Finland's municipalities as a table, loaded from clients/data/municipalities.csv.

The rows are reference data from Statistics Finland's classification: they are
loaded here (an upsert by code, so a later migration can call the same loader
after the file is updated for a new year) and keep no history table, because the
file's history in the repository is their record and no one edits them in the
application.
"""

from django.db import migrations, models

from clients.municipalities import load_municipalities


def load(apps, schema_editor):
    load_municipalities(apps.get_model("clients", "Municipality"))


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0007_accesslog_loan_letters"),
    ]

    operations = [
        migrations.CreateModel(
            name="Municipality",
            fields=[
                ("code", models.CharField(max_length=3, primary_key=True, serialize=False, verbose_name="kuntanumero")),
                ("name_fi", models.CharField(max_length=100, unique=True, verbose_name="nimi suomeksi")),
                ("name_sv", models.CharField(max_length=100, unique=True, verbose_name="nimi ruotsiksi")),
            ],
            options={
                "verbose_name": "kunta",
                "verbose_name_plural": "kunnat",
                "ordering": ["name_fi"],
            },
        ),
        # Reversed by dropping the table (the CreateModel above).
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
