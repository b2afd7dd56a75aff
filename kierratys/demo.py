"""Demo users, one per role, and the demo's clock, for `manage.py seed_demo`.

Demo only: password demo1234.
"""

import datetime
from contextlib import contextmanager

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone

from kierratys import roles

DEMO_PASSWORD = "demo1234"

DEMO_USERS = (
    ("koordinaattori", roles.COORDINATOR, "Kaisa", "Koordinaattori"),
    ("teknikko", roles.TECHNICIAN, "Teemu", "Teknikko"),
    ("valmentaja", roles.COACH, "Veera", "Valmentaja"),
    ("valmentaja2", roles.COACH, "Ville", "Virtanen"),
    ("lahjoittaja", roles.DONOR, "Laura", "Lahjoittaja"),
)


def seed_users():
    """Create the demo users (idempotent); returns them by username."""
    User = get_user_model()
    users = {}
    for username, role, first_name, last_name in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.fi",
                "is_staff": role == roles.COORDINATOR,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return users


def demo_moment(days_ago, hour=10, minute=0):
    """A local time of day `days_ago` days before today, as an aware datetime."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@contextmanager
def story_time(moment, app_labels=("devices", "clients")):
    """Demo only: move every time the block's services stamp with the real clock to `moment`.

    The demo is made through the real services, which stamp records and their history
    with now() (auto_now_add, timezone.now(), simple-history's history_date). Its story
    runs over past weeks, so each step runs in a block, and afterwards every date-time
    of the apps' models and historical models written during the block (>= its start)
    is set to the step's moment. This is the one place where the demo rewrites times;
    queryset.update() records no history on purpose: it changes when, never what.
    Times the demo passes itself (an erasure's start and end) are in the past, so
    they are left alone. A plain QuerySet, not the model's manager: Device's refuses any
    update() of its lifecycle fields (status_changed_at among them), which guards the
    status; the time of a change the lifecycle made is what is moved here.
    """
    started = timezone.now()
    yield
    for model in apps.get_models():
        if model._meta.app_label not in app_labels:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                models.QuerySet(model).filter(**{f"{field.name}__gte": started}).update(
                    **{field.name: moment}
                )
