"""Compare the stored dashboard figures (and clients' stored eligibility) with the live data;
exit 1 on any drift. --repair recomputes eligibility, rebuilds the figures, checks again."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports import figures_check

SHOWN = 20  # drifting counters listed; the count says how many in all


class Command(BaseCommand):
    help = (
        "Compare the dashboard's stored figures (counters kept by the services) with the "
        "live data and report any drift; exit status 1 on drift. --repair rebuilds them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair",
            action="store_true",
            help="Rebuild the stored figures from the live data, then check again.",
        )

    def handle(self, *args, repair=False, **options):
        if repair:
            figures_check.figures_repair()
            self.stdout.write(_("Tallennetut luvut rakennettu uudelleen elävästä datasta."))
        drift = self.report()
        if drift:
            raise CommandError(
                _("Tallennetut luvut poikkeavat elävästä datasta (%(count)s eroa).")
                % {"count": drift},
                returncode=1,
            )
        self.stdout.write(_("Tallennetut luvut vastaavat elävää dataa."))

    def report(self):
        contributions = figures_check.figures_source.live_contributions()
        counters = figures_check.counter_drift(contributions)
        entities = figures_check.entity_drift(contributions)
        figures = figures_check.dashboard_drift()
        clients = figures_check.eligibility_drifting()
        for pk in clients[:SHOWN]:
            self.stderr.write(f"client {pk}: stored eligible_since differs from the rule")
        for key, stored, live in counters[:SHOWN]:
            self.stderr.write(f"counter {key}: stored {stored}, live {live}")
        for kind, entity_id in entities[:SHOWN]:
            self.stderr.write(f"{kind} {entity_id}: stored contribution differs")
        for filters, name, stored, live in figures:
            self.stderr.write(f"{name} ({filters}): stored {stored!r}, live {live!r}")
        return len(counters) + len(entities) + len(figures) + len(clients)
