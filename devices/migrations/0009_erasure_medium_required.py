import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Every erasure is a medium's (0008 gave each existing erasure one)."""

    dependencies = [
        ("devices", "0008_storage_media_evidence_certificates"),
    ]

    operations = [
        migrations.AlterField(
            model_name="erasure",
            name="medium",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="erasures",
                to="devices.storagemedium",
                verbose_name="tallennusväline",
            ),
        ),
    ]
