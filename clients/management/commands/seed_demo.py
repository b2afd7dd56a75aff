"""`seed_demo`: Finnish demo data and one user per role. Lives in clients, the app that sees
both domains (devices <- clients), so that kierratys imports no app."""

from django.core.management.base import BaseCommand
from django.db import transaction

from clients import demo as clients_demo
from clients.eligibility import eligibility_refresh_all
from devices import demo as devices_demo
from devices.models import Donor
from kierratys import figures
from kierratys.demo import seed_users


class Command(BaseCommand):
    help = "Load Finnish demo data and one demo user per role (password demo1234, demo only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds domain data.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Donor.objects.exists():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        with transaction.atomic():
            users = seed_users()
            self.seed_domain(users)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Users: " + ", ".join(users)))

    def seed_domain(self, users):
        """Each app seeds its own part; every step is idempotent."""
        devices_demo.seed(users)
        clients_demo.seed(users)
        # The story's clock moved every record into the past after the services had
        # counted it today: count the stored figures and eligibility again from the data.
        eligibility_refresh_all()
        figures.figures_rebuild_all()
