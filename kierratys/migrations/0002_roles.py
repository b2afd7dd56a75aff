"""Create the four role groups with the model permissions each role uses.

Views check the role (group) itself; the model permissions matter for the
Django admin, which only coordinators use.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

COORDINATOR = "Koordinaattori"
TECHNICIAN = "Teknikko"
COACH = "Työvalmentaja"
DONOR = "Lahjoittaja"

# (app_label, model) -> actions, per role. Coordinators get every permission of
# the domain apps.
ROLE_PERMISSIONS = {
    TECHNICIAN: {
        ("devices", "donor"): ("view",),
        ("devices", "donationbatch"): ("view", "add", "change"),
        ("devices", "batchlistitem"): ("view", "add"),
        ("devices", "device"): ("view", "add", "change"),
        ("devices", "erasure"): ("view", "add"),
        ("devices", "refurbishmentcheck"): ("view", "add"),
    },
    COACH: {
        ("devices", "device"): ("view",),
        ("clients", "client"): ("view", "add", "change"),
        ("clients", "milestone"): ("view",),
        ("clients", "clientmilestone"): ("view", "add", "change", "delete"),
        ("clients", "handover"): ("view", "add", "change"),
        ("clients", "supportpoint"): ("view",),
    },
    DONOR: {
        ("devices", "donationbatch"): ("view", "add"),
        ("devices", "batchlistitem"): ("add",),
    },
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    coordinator, _ = Group.objects.get_or_create(name=COORDINATOR)
    coordinator.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["devices", "clients"])
    )
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for (app_label, model), actions in grants.items():
            for action in actions:
                perms.append(
                    Permission.objects.get(
                        content_type__app_label=app_label,
                        content_type__model=model,
                        codename=f"{action}_{model}",
                    )
                )
        group.permissions.set(perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[COORDINATOR, TECHNICIAN, COACH, DONOR]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kierratys", "0001_initial"),
        ("devices", "0001_initial"),
        ("clients", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
