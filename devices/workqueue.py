"""The technician's work queue: what waits for erasure or refurbishment, oldest first."""

from django.db.models import Count, OuterRef, Q, Subquery

from devices.models import Device, Erasure

Status = Device.Status


def _latest_attempt(field):
    """The latest erasure attempt since the device last came (back) in."""
    return Subquery(
        Erasure.objects.filter(device=OuterRef("pk"), recorded_at__gte=OuterRef("received_at"))
        .order_by("-recorded_at")
        .values(field)[:1]
    )


def _failed_attempt_count():
    return Subquery(
        Erasure.objects.filter(
            device=OuterRef("pk"),
            recorded_at__gte=OuterRef("received_at"),
            result=Erasure.Result.FAILED,
        )
        .values("device")
        .annotate(count=Count("pk"))
        .values("count")[:1]
    )


def _received_with_latest_attempt():
    return (
        Device.objects.filter(status=Status.RECEIVED)
        .select_related("batch__donor")
        .annotate(
            latest_result=_latest_attempt("result"),
            latest_attempt_at=_latest_attempt("ended_at"),
            latest_notes=_latest_attempt("notes"),
            failed_attempts=_failed_attempt_count(),
        )
    )


# A NULL latest result (no attempt yet) must count as waiting, so spell it out.
NOT_FAILED = Q(latest_result__isnull=True) | ~Q(latest_result=Erasure.Result.FAILED)


def waiting_for_erasure():
    """Received devices with no failed attempt as the latest one, oldest arrival first."""
    return _received_with_latest_attempt().filter(NOT_FAILED).order_by("received_at", "pk")


def failed_erasures():
    """Received devices whose latest erasure attempt failed, oldest arrival first."""
    return (
        _received_with_latest_attempt()
        .filter(latest_result=Erasure.Result.FAILED)
        .order_by("received_at", "pk")
    )


def waiting_for_refurbishment():
    """Erased devices, longest-waiting first."""
    return (
        Device.objects.filter(status=Status.ERASED)
        .select_related("batch__donor")
        .order_by("status_changed_at", "pk")
    )


def workqueue_counts():
    """The three queue lengths in one query (for the queue page and the start page)."""
    latest_result = _latest_attempt("result")
    counts = (
        Device.objects.filter(status__in=[Status.RECEIVED, Status.ERASED])
        .annotate(latest_result=latest_result)
        .aggregate(
            erasure=Count(
                "pk",
                filter=Q(status=Status.RECEIVED) & NOT_FAILED,
            ),
            failed=Count(
                "pk", filter=Q(status=Status.RECEIVED, latest_result=Erasure.Result.FAILED)
            ),
            refurbishment=Count("pk", filter=Q(status=Status.ERASED)),
        )
    )
    return counts
