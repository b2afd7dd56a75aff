"""Loan follow-up: loans falling due soon, and the daily reminder mail to each coach.

The mail tells a coach only how many loans need attention and where to look: it
leaves the building over SMTP, so it carries no client's name, phone or code.
The names and phones are on the pages the link opens, behind the login.
"""

import datetime
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from clients.models import Handover
from clients.selectors import clients_visible_to

# "Due soon": due today or within this many days.
DUE_SOON_DAYS = 7

REMINDER_SUBJECT = _("Digikierrättämö: asiakkaidesi lainoja on palautettavana")
REMINDER_BODY = _(
    "Hei,\n\n"
    "asiakkaidesi lainoista erääntyy seuraavan %(days)s päivän aikana: %(due_soon)s\n"
    "asiakkaidesi lainoista on jo myöhässä: %(overdue)s\n\n"
    "Katso lainat ja sovi palautuksesta asiakkaan kanssa:\n%(url)s\n\n"
    "Tämä viesti lähetetään automaattisesti joka päivä, kun lainoja on palautettavana. "
    "Asiakkaiden tietoja ei lähetetä sähköpostilla.\n"
)


def _open_loans():
    return Handover.objects.filter(status=Handover.Status.HANDED_OVER, kind=Handover.Kind.LOAN)


def loans_due_soon(user, *, today=None):
    """Open loans of the user's visible clients due today or within DUE_SOON_DAYS, soonest first."""
    today = today or timezone.localdate()
    return (
        _open_loans()
        .filter(
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
            client__in=clients_visible_to(user),
        )
        .select_related("device", "client", "client__coach")
        .order_by("due_date", "receipt_number")
    )


def loans_to_follow_up(user, *, today=None):
    """Overdue and due-soon loans of the user's visible clients, earliest due date first."""
    today = today or timezone.localdate()
    return (
        _open_loans()
        .filter(
            due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
            client__in=clients_visible_to(user),
        )
        .select_related("device", "client")
        .order_by("due_date", "receipt_number")
    )


@dataclass(frozen=True)
class LoanReminder:
    coach: object
    due_soon: int
    overdue: int
    # sent, skipped (no e-mail address), failed (the SMTP server refused), or dry_run
    outcome: str = ""
    error: str = ""


def loan_reminder_counts(*, today=None):
    """Each coach whose clients have loans due soon or overdue, with both counts (by username)."""
    today = today or timezone.localdate()
    rows = (
        _open_loans()
        .filter(due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        .order_by()
        .values("client__coach")
        .annotate(
            due_soon=Count("pk", filter=Q(due_date__gte=today)),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
        )
    )
    counts = {row["client__coach"]: row for row in rows}
    coaches = get_user_model().objects.filter(pk__in=counts).order_by("username")
    return [
        LoanReminder(
            coach=coach, due_soon=counts[coach.pk]["due_soon"], overdue=counts[coach.pk]["overdue"]
        )
        for coach in coaches
    ]


def loan_reminder_message(reminder, *, connection=None):
    """The reminder mail of one coach: counts and a link only, in Finnish (no language stored)."""
    with translation.override("fi"):
        url = settings.SITE_URL + reverse("clients:overdue_loans")
        body = str(REMINDER_BODY) % {
            "days": DUE_SOON_DAYS,
            "due_soon": reminder.due_soon,
            "overdue": reminder.overdue,
            "url": url,
        }
        return mail.EmailMessage(
            str(REMINDER_SUBJECT), body, to=[reminder.coach.email], connection=connection
        )


def loan_reminders_send(*, today=None, dry_run=False):
    """Mail each coach with loans due soon or overdue one count-only reminder; report each."""
    reminders = loan_reminder_counts(today=today)
    results = []
    connection = None if dry_run else mail.get_connection()
    for reminder in reminders:
        coach = reminder.coach
        if not coach.email or not coach.is_active:
            outcome, error = "skipped", ""
        elif dry_run:
            outcome, error = "dry_run", ""
        else:
            try:
                loan_reminder_message(reminder, connection=connection).send()
            except (smtplib.SMTPException, OSError) as failure:
                # One refused address must not keep the other coaches' reminders back.
                outcome, error = "failed", str(failure)
            else:
                outcome, error = "sent", ""
        results.append(
            LoanReminder(coach, reminder.due_soon, reminder.overdue, outcome=outcome, error=error)
        )
    return results
