"""Daily retention job: close served clients SERVED_CLIENT_CLOSE_MONTHS after the gift, then
anonymise clients closed longer than CLIENT_RETENTION_MONTHS ago."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clients.retention import anonymise_closed_clients, close_served_clients


class Command(BaseCommand):
    help = (
        "Close served clients SERVED_CLIENT_CLOSE_MONTHS after the gift, then anonymise clients "
        "closed longer than CLIENT_RETENTION_MONTHS ago (live and history tables). "
        "Run daily from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would change and change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        closed = close_served_clients(dry_run=dry_run)
        if dry_run:
            message = _(
                "Päätettäisiin %(count)s asiakkuutta (lahja yli %(months)s kk sitten): %(codes)s"
            )
        else:
            message = _(
                "Päätetty %(count)s asiakkuutta (lahja yli %(months)s kk sitten): %(codes)s"
            )
        self.stdout.write(
            message
            % {
                "count": len(closed),
                "months": settings.SERVED_CLIENT_CLOSE_MONTHS,
                "codes": ", ".join(closed) or "–",
            }
        )
        # Clients closed just now are within the retention period: nothing of them goes yet.
        result = anonymise_closed_clients(dry_run=dry_run)
        self.stdout.write(
            _("Säilytysaika %(months)s kk: päättynyt ennen %(cutoff)s.")
            % {
                "months": settings.CLIENT_RETENTION_MONTHS,
                "cutoff": date_format(result.cutoff, "SHORT_DATE_FORMAT"),
            }
        )
        for changes in result.clients:
            self.stdout.write(
                _(
                    "%(code)s (päättynyt %(closed)s): %(history)s historiariviä, "
                    "%(notes)s välitavoitteen huomiota (%(note_history)s historiassa), "
                    "%(returns)s palautushuomiota (%(return_history)s historiassa)"
                )
                % {
                    "code": changes.code,
                    "closed": date_format(changes.closed_on, "SHORT_DATE_FORMAT"),
                    "history": changes.client_history_rows,
                    "notes": changes.milestone_notes,
                    "note_history": changes.milestone_history_rows,
                    "returns": changes.handover_notes,
                    "return_history": changes.handover_history_rows,
                }
            )
        counts = {
            "clients": len(result.clients),
            "history": result.total("client_history_rows"),
            "notes": result.total("milestone_notes") + result.total("handover_notes"),
            "note_history": result.total("milestone_history_rows")
            + result.total("handover_history_rows"),
        }
        if dry_run:
            summary = _(
                "Kuivaharjoitus, mitään ei muutettu. Anonymisoitaisiin %(clients)s asiakasta, "
                "%(history)s asiakkaan historiariviä, %(notes)s huomiota ja %(note_history)s "
                "huomion historiariviä."
            )
        else:
            summary = _(
                "Anonymisoitu %(clients)s asiakasta, %(history)s asiakkaan historiariviä, "
                "%(notes)s huomiota ja %(note_history)s huomion historiariviä."
            )
        self.stdout.write(self.style.SUCCESS(summary % counts))
