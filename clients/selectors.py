"""Read queries shared by views: eligibility, progress and the waiting list.

Eligibility is computed from the data (every active required milestone done),
never stored, so it follows the milestones and the catalogue at once.
"""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Value,
    When,
)

from clients.models import Client, Handover, Milestone

_REQUIRED = Q(milestones__milestone__required=True, milestones__milestone__active=True)


def required_milestones():
    return Milestone.objects.filter(active=True, required=True).order_by("order", "code")


def with_progress(queryset, required_count=None):
    """Annotate done_required, required_total, eligible, eligible_since and has_open_handover."""
    if required_count is None:
        required_count = required_milestones().count()
    open_handover = Handover.objects.filter(
        client=OuterRef("pk"), status__in=Handover.OPEN_STATUSES
    )
    return queryset.annotate(
        done_required=Count("milestones", filter=_REQUIRED, distinct=True),
        required_total=Value(required_count, output_field=IntegerField()),
        eligible_since=Max("milestones__completed_on", filter=_REQUIRED),
        has_open_handover=Exists(open_handover),
    ).annotate(
        eligible=Case(
            When(
                Q(status=Client.Status.COACHING, done_required__gte=required_count),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def eligible_clients(queryset=None):
    """Clients in coaching who have done every active required milestone."""
    required_count = required_milestones().count()
    queryset = with_progress(
        queryset if queryset is not None else Client.objects.all(), required_count
    )
    return queryset.filter(status=Client.Status.COACHING, done_required__gte=required_count)


def waiting_list(queryset=None):
    """Eligible clients without an open handover, longest-waiting first."""
    return (
        eligible_clients(queryset)
        .filter(has_open_handover=False)
        .order_by("eligible_since", "code")
    )


def missing_required_milestones(client):
    """The active required milestones the client has not done, in catalogue order."""
    return required_milestones().exclude(pk__in=client.milestones.values("milestone"))


def is_eligible(client):
    return (
        client.status == Client.Status.COACHING and not missing_required_milestones(client).exists()
    )


def clients_visible_to(user):
    """A coach sees his or her own clients; coordinators see all."""
    from kierratys.roles import is_coordinator

    if is_coordinator(user):
        return Client.objects.all()
    return Client.objects.filter(coach=user)
