"""Demo users, one per role, for `manage.py seed_demo`. Demo only: password demo1234."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

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
