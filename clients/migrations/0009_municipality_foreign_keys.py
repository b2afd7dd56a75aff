"""Clients and support points refer to a municipality of the list instead of free text.

Why: a client typed in as "Tavastehus" got no support points on the receipt, whose
points were typed as "Hämeenlinna", and the reports counted the two apart.

What happens to the text typed so far: each value is matched to a municipality by
its Finnish or its Swedish name, in any case and with surrounding spaces ignored
(clients.municipalities.match_municipalities); only whole names match, so
"Tampereen kaupunki" is not guessed to be Tampere. The live tables and their
history tables are matched alike, so a record and its history say the same.

Values that match no municipality (typing errors, "Tampereen kaupunki", an empty
value): the migration does not refuse to run and does not drop what was typed.
The old column stays, renamed municipality_text, and keeps the text on exactly
those rows (it is blanked where the match succeeded); their municipality stays
empty. The pages show such a record's municipality as "tarkista kunta (kirjattu:
...)", and the form requires a choice from the list at the next edit, which
blanks the old text. That is the kindest choice for the people using the service:
nobody's record is lost or blocked, the receipt and reports are right for every
matched record at once, and the few unmatched ones are visible where they are
fixed. Every unmatched value is printed during migrate with its row count, for
the coordinators to check.

Reversing puts the Finnish name back as the text of every matched row.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
import django.db.models.deletion

from clients.municipalities import match_municipalities, unmatched_report

# The models whose municipality was free text, live and historical.
MODELS = ("Client", "HistoricalClient", "SupportPoint", "HistoricalSupportPoint")


def text_to_municipality(apps, schema_editor):
    Municipality = apps.get_model("clients", "Municipality")
    municipalities = list(Municipality.objects.values_list("code", "name_fi", "name_sv"))
    lines = []
    for name in MODELS:
        model = apps.get_model("clients", name)
        values = list(model.objects.values_list("municipality_text", flat=True))
        if not values:
            continue
        codes, unmatched = match_municipalities(values, municipalities)
        # One UPDATE per distinct typed value: there are a few dozen, however many rows.
        # queryset.update() on a tracked model leaves no history row; that is right
        # here, because the history rows are rewritten the same way (MODELS).
        for value, code in codes.items():
            model.objects.filter(municipality_text=value).update(
                municipality_id=code, municipality_text=""
            )
        lines.append(
            f"{name}: {len(values) - sum(unmatched.values())} of {len(values)} rows matched"
            " a municipality"
        )
        lines += unmatched_report(name, unmatched)
    if lines:
        print("\nclients.0009 municipalities:")
        for line in lines:
            print(f"  {line}")


def municipality_to_text(apps, schema_editor):
    Municipality = apps.get_model("clients", "Municipality")
    finnish_name = Municipality.objects.filter(code=OuterRef("municipality_id")).values("name_fi")
    for name in MODELS:
        model = apps.get_model("clients", name)
        model.objects.filter(municipality_id__isnull=False).update(
            municipality_text=Subquery(finnish_name[:1])
        )


def legacy_text():
    return models.CharField(
        blank=True, editable=False, max_length=100, verbose_name="kunta ennen kuntaluetteloa"
    )


def municipality(related_name):
    return models.ForeignKey(
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to="clients.municipality",
        verbose_name="kunta",
    )


def historical_municipality():
    return models.ForeignKey(
        blank=True,
        db_constraint=False,
        null=True,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to="clients.municipality",
        verbose_name="kunta",
    )


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0008_municipality"),
    ]

    operations = [
        *[
            operation
            for model_name in ("client", "historicalclient", "supportpoint", "historicalsupportpoint")
            for operation in (
                migrations.RenameField(
                    model_name=model_name, old_name="municipality", new_name="municipality_text"
                ),
                migrations.AlterField(
                    model_name=model_name, name="municipality_text", field=legacy_text()
                ),
            )
        ],
        migrations.AddField(
            model_name="client", name="municipality", field=municipality("clients")
        ),
        migrations.AddField(
            model_name="historicalclient", name="municipality", field=historical_municipality()
        ),
        migrations.AddField(
            model_name="supportpoint", name="municipality", field=municipality("support_points")
        ),
        migrations.AddField(
            model_name="historicalsupportpoint",
            name="municipality",
            field=historical_municipality(),
        ),
        migrations.AlterModelOptions(
            name="supportpoint",
            options={
                "ordering": ["municipality__name_fi", "name"],
                "verbose_name": "digitukipiste",
                "verbose_name_plural": "digitukipisteet",
            },
        ),
        # Last: on PostgreSQL an ALTER TABLE after these UPDATEs in the same transaction
        # would fail on the pending foreign-key checks.
        migrations.RunPython(text_to_municipality, municipality_to_text),
    ]
