"""Daily loan reminders: each coach gets one mail counting the loans due soon and overdue."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from clients.loans import DUE_SOON_DAYS, loan_reminder_message, loan_reminders_send

MAIL_NOT_CONFIGURED = _("Sähköpostia ei ole määritetty (EMAIL_URL): muistutuksia ei lähetetty.")
SKIPPED_NO_EMAIL = _("%(coach)s: ohitettu, ei sähköpostiosoitetta")
SKIPPED_INACTIVE = _("%(coach)s: ohitettu, käyttäjä ei ole käytössä")
COUNTS = _("%(due_soon)s erääntyy pian, %(overdue)s myöhässä")
WOULD_SEND = _("%(coach)s: lähetettäisiin osoitteeseen %(email)s (%(counts)s)")
SENT = _("%(coach)s: lähetetty osoitteeseen %(email)s (%(counts)s)")
FAILED = _("%(coach)s: lähetys epäonnistui: %(error)s")
DRY_RUN_SUMMARY = _("Kuivaharjoitus, mitään ei lähetetty. Muistutettavia työvalmentajia %(count)s.")
SUMMARY = _("Lähetetty %(sent)s muistutusta, ohitettu %(skipped)s, epäonnistui %(failed)s.")
SOME_FAILED = _("Kaikkia muistutuksia ei saatu lähetettyä.")


class Command(BaseCommand):
    help = (
        f"Mail each coach how many of his or her clients' loans fall due within {DUE_SOON_DAYS} "
        "days and how many are overdue, with a link (no client data in the mail). "
        "Run daily from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the mails that would be sent and send nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        if not dry_run and not settings.MAIL_CONFIGURED:
            raise CommandError(str(MAIL_NOT_CONFIGURED))
        results = loan_reminders_send(dry_run=dry_run)
        for result in results:
            values = {
                "coach": result.coach.username,
                "email": result.coach.email,
                "due_soon": result.due_soon,
                "overdue": result.overdue,
                "error": result.error,
            }
            values["counts"] = COUNTS % values
            if result.outcome == "skipped":
                skipped = SKIPPED_INACTIVE if result.coach.email else SKIPPED_NO_EMAIL
                self.stdout.write(skipped % values)
            elif result.outcome == "dry_run":
                self.stdout.write(WOULD_SEND % values)
                message = loan_reminder_message(result)
                self.stdout.write(f"  {message.subject}")
                for line in message.body.splitlines():
                    self.stdout.write(f"  | {line}")
            elif result.outcome == "sent":
                self.stdout.write(SENT % values)
            else:
                self.stderr.write(FAILED % values)
        count = {
            outcome: sum(result.outcome == outcome for result in results)
            for outcome in ("sent", "skipped", "failed", "dry_run")
        }
        if dry_run:
            self.stdout.write(DRY_RUN_SUMMARY % {"count": count["dry_run"]})
        else:
            self.stdout.write(SUMMARY % count)
        if count["failed"]:
            raise CommandError(str(SOME_FAILED))
