"""Import wipe-tool reports (nwipe logs and PDFs, eReuse Workbench snapshots) from the command
line: the same service as the upload page (devices.services.evidence_import), each file all
or nothing. Prints, for each file, the device and media it matched with their results, or why
it matched nothing. Exits non-zero (CommandError) when any file was refused, after printing
every file, so a script copying the day's ShredOS stick notices the files left to look at."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from devices import services
from devices.services.evidence import MAX_FILE_BYTES
from kierratys.roles import is_technician

UNKNOWN_USER = _("Käyttäjää ”%(username)s” ei ole tai hänen tunnuksensa ei ole käytössä.")
NOT_A_TECHNICIAN = _(
    "Käyttäjä ”%(username)s” ei ole teknikko eikä koordinaattori, joten hän ei voi kirjata "
    "tyhjennyksiä."
)
FILE_NOT_FOUND = _("Tiedostoa %(path)s ei voi avata: %(error)s")
FILE_LINE = _("%(name)s: laite %(code)s (%(kind)s)")
FILE_REFUSED = _("%(name)s: EI TUOTU – %(reason)s")
MEDIUM_LINE = _("  %(serial)s %(model)s: %(result)s, %(category)s / %(technique)s%(reason)s")
MEDIUM_SKIPPED = _("  %(serial)s %(model)s: %(reason)s")
PASSED = _("onnistui")
FAILED = _("epäonnistui")
DRY_RUN = _("Kuivaharjoitus: mitään ei kirjattu eikä tallennettu.")
SOME_REFUSED = ngettext_lazy(
    "%(count)s tiedosto jäi tuomatta (katso yltä); muut tuotiin.",
    "%(count)s tiedostoa jäi tuomatta (katso yltä); muut tuotiin.",
    "count",
)
ALL_IMPORTED = ngettext_lazy("%(count)s tiedosto tuotu.", "%(count)s tiedostoa tuotu.", "count")


class Command(BaseCommand):
    help = (
        "Import wipe-tool reports (nwipe logs and PDF reports, eReuse Workbench JSON snapshots): "
        "each file is matched to a received device by the computer's or the discs' serials and "
        "recorded as one erasure per disc, the original file kept with its SHA-256. Each file "
        "is all or nothing; a refused file does not stop the others. --as names the technician "
        "or coordinator recorded as having done it. Exits non-zero when any file was refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="report files")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="username of the technician or coordinator importing (required)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="match and check, but record nothing"
        )

    def handle(self, *args, files, username, dry_run, **options):
        actor = self._actor(username)
        contents = [(Path(name).name, self._content(Path(name))) for name in files]
        outcome = services.evidence_import(files=contents, actor=actor, dry_run=dry_run)
        for result in outcome.files:
            self._print_file(result)
        if dry_run:
            self.stdout.write(str(DRY_RUN))
        refused = len(outcome.refused)
        if refused:
            raise CommandError(SOME_REFUSED % {"count": refused})
        self.stdout.write(self.style.SUCCESS(ALL_IMPORTED % {"count": len(outcome.files)}))

    def _actor(self, username):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(UNKNOWN_USER % {"username": username})
        if not is_technician(user):
            raise CommandError(NOT_A_TECHNICIAN % {"username": username})
        return user

    def _content(self, path):
        try:
            # Never more than one byte past the limit is read: the service refuses it by size.
            with path.open("rb") as handle:
                return handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(FILE_NOT_FOUND % {"path": path, "error": error.strerror}) from None

    def _print_file(self, result):
        write = self.stdout.write
        if not result.imported:
            write(self.style.ERROR(FILE_REFUSED % {"name": result.name, "reason": result.reason}))
            return
        write(
            FILE_LINE
            % {"name": result.name, "code": result.device.inventory_code, "kind": result.kind_label}
        )
        for medium in result.media:
            values = {"serial": medium.serial or "–", "model": medium.model}
            if not medium.recorded:
                write(MEDIUM_SKIPPED % (values | {"reason": medium.failure_reason}))
                continue
            reason = f" – {medium.failure_reason}" if medium.failure_reason else ""
            write(
                MEDIUM_LINE
                % (
                    values
                    | {
                        "result": PASSED if medium.passed else FAILED,
                        "category": medium.category_label,
                        "technique": medium.technique_label,
                        "reason": reason,
                    }
                )
            )
