"""Read queries of the devices app that several views (and other apps) use.

The technician's work queue: what waits for erasure or refurbishment, oldest first."""

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from devices import erasure_coverage, lifecycle
from devices.models import Device, DonationBatch, Donor, Erasure, StorageMedium
from kierratys import figures, roles


def _state_key(status):
    return f"n_{status}"


def with_state_counts(batches):
    """Annotate batches with `n_devices` and `n_<status>` for every lifecycle state."""
    counts = {
        _state_key(status): Count("devices", filter=Q(devices__status=status))
        for status in Device.Status.values
    }
    # Meta.ordering does not apply to GROUP BY queries: order explicitly.
    return batches.annotate(n_devices=Count("devices"), **counts).order_by("-registered_at", "-pk")


def state_counts(batch):
    """[(status, label, count)] of an annotated batch, in lifecycle order."""
    return [
        (status, label, getattr(batch, _state_key(status), 0))
        for status, label in Device.Status.choices
    ]


def donors_represented_by(user):
    """The organisations a donor user acts for; none for a user without the donor role."""
    if roles.is_donor(user):
        return user.donor_organisations.all()
    return Donor.objects.none()


def donors_of(user):
    """The donor organisations a user may register batches for."""
    if roles.is_staff_member(user):
        return Donor.objects.all()
    return donors_represented_by(user)


def donor_list(*, search=""):
    """Donors for the coordinator's list, by name, each with its numbers of batches and users.

    `search` matches any part of the name, business ID, contact person or e-mail."""
    donors = Donor.objects.annotate(
        n_batches=Count("batches", distinct=True), n_users=Count("users", distinct=True)
    )
    search = search.strip()
    if search:
        donors = donors.filter(
            Q(name__icontains=search)
            | Q(business_id__icontains=search)
            | Q(contact_person__icontains=search)
            | Q(email__icontains=search)
        )
    return donors.order_by("name", "pk")


def donor_batches(donor):
    """A donor's batches, newest first, with their devices' counts per lifecycle state."""
    return with_state_counts(donor.batches.all())


def batches_visible_to(user):
    """Staff see every batch; a donor user only his or her organisations' batches."""
    batches = DonationBatch.objects.select_related("donor")
    if roles.is_staff_member(user):
        return batches
    return batches.filter(donor__in=donors_represented_by(user))


def batch_for(user, reference):
    """The batch if the user may see it; 404 otherwise, so its existence is not leaked."""
    return get_object_or_404(
        with_state_counts(batches_visible_to(user)).select_related(
            "registered_by", "received_by", "cancelled_by"
        ),
        reference=reference,
    )


def batches_waiting_receipt():
    return (
        DonationBatch.objects.filter(status=DonationBatch.Status.REGISTERED)
        .select_related("donor")
        .order_by("registered_at")
    )


def devices_logged_today():
    return Device.objects.filter(logged_at__date=timezone.localdate()).count()


DEVICE_LIST_ORDER = ("-logged_at", "-pk")  # the device_list_order index
DEVICE_LIST_COLUMNS = (
    "inventory_code",
    "category",
    "manufacturer",
    "model",
    "serial_number",
    "status",
    "logged_at",
    "batch__reference",
    "batch__donor__name",
)


def device_list(*, search="", status="", category="", batch="", donor=""):
    """Devices for the list page, newest first; read a page's rows with device_list_rows.

    `batch` matches the start of a batch reference, `donor` any part of a donor's name.
    """
    devices = Device.objects.all()
    search = search.strip()
    if search:
        devices = devices.filter(
            Q(inventory_code__iexact=search.replace(" ", "").replace("-", ""))
            | Q(inventory_code__icontains=search)
            | Q(serial_number__icontains=search)
            | Q(imei__icontains=search)
            | Q(model__icontains=search)
            | Q(manufacturer__icontains=search)
        )
    if status:
        devices = devices.filter(status=status)
    if category:
        devices = devices.filter(category=category)
    # Subqueries rather than joins: the few matching batches are found first and their
    # devices read through the batch index, instead of testing every device's batch.
    if batch:
        devices = devices.filter(
            batch__in=DonationBatch.objects.filter(reference__istartswith=batch).values("pk")
        )
    if donor:
        devices = devices.filter(
            batch__in=DonationBatch.objects.filter(
                donor__in=Donor.objects.filter(name__icontains=donor).values("pk")
            ).values("pk")
        )
    return devices.order_by(*DEVICE_LIST_ORDER)


# The stored figure each device adds one to, keyed by its state: reports.figures_source.STATUS
# (a device counts once at each grain, in its current state; tests/devices assert it is the same).
STATUS_FIGURE = "status"


def device_count_stored(*, status=""):
    """How many devices there are (in `status`), from the counters kierratys.figures keeps in
    the same transaction as every device change: COUNT(*) read every row (100,000 of them)."""
    return figures.stored_total(STATUS_FIGURE, **({"category": status} if status else {}))


def device_list_count(*, search="", status="", category="", batch="", donor=""):
    """How many devices device_list(...) lists, when the stored figures know it (all devices,
    or all in one state); None when only counting the rows can tell."""
    if search.strip() or category or batch or donor:
        return None
    return device_count_stored(status=status)


def device_list_rows(keys):
    """The devices whose keys are given (a page of device_list), as tuples of
    DEVICE_LIST_COLUMNS (named: row.inventory_code, row.batch__reference...).

    Only the list's columns, and no model instances: building 50 objects with their batch
    and donor cost several times the query itself.
    """
    return (
        Device.objects.filter(pk__in=keys)
        .order_by(*DEVICE_LIST_ORDER)
        .values_list(*DEVICE_LIST_COLUMNS, named=True)
    )


def batch_devices(batch):
    return batch.devices.order_by("logged_at", "pk")


def next_list_item(batch):
    """The first row of the donor's list that has no device logged yet."""
    return batch.list_items.filter(device__isnull=True).order_by("row_number").first()


Status = Device.Status


def _since_received():
    """The erasure attempts of the outer device row since it last came (back) in."""
    return lifecycle.erasures_since_received(OuterRef("pk"), OuterRef("received_at"))


def _latest_attempt(field):
    """The latest erasure attempt since the device last came (back) in (of any medium)."""
    return Subquery(_since_received().order_by("-recorded_at", "-pk").values(field)[:1])


def _failed_now():
    """Attempts since received that failed and are their medium's latest: the media that
    wait for another try (a failed HDD stays failed while the NVMe drive beside it passes)."""
    later = Erasure.objects.filter(medium=OuterRef("medium")).filter(
        Q(recorded_at__gt=OuterRef("recorded_at"))
        | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk"))
    )
    return _since_received().filter(result=Erasure.Result.FAILED).filter(~Exists(later))


def _count(queryset, field):
    """A per-device count subquery over `queryset` (rows of one device), of distinct `field`."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values("device")
            .annotate(count=Count(field, distinct=True))
            .values("count")[:1]
        ),
        0,
    )


def _failed_attempt_count():
    return _count(_since_received().filter(result=Erasure.Result.FAILED), "pk")


def _received_with_latest_attempt():
    since = _since_received()
    return (
        Device.objects.filter(status=Status.RECEIVED)
        .select_related("batch__donor")
        .annotate(
            latest_result=_latest_attempt("result"),
            latest_attempt_at=_latest_attempt("ended_at"),
            latest_notes=_latest_attempt("notes"),
            latest_failure_reason=Subquery(
                _failed_now().order_by("-recorded_at", "-pk").values("failure_reason")[:1]
            ),
            failed_attempts=_failed_attempt_count(),
            has_failed_medium=Exists(_failed_now()),
            # "1/2 tallennusvälinettä tyhjennetty": media erased (as erasure_coverage counts
            # them) out of the media recorded.
            media_count=_count(StorageMedium.objects.filter(device=OuterRef("pk")), "pk"),
            erased_media=_count(erasure_coverage.counting(since), "medium"),
            passed_media=_count(since.filter(result=Erasure.Result.PASSED), "medium"),
        )
    )


# Every medium has a passed attempt, and only validation is missing: not the erasure
# queue's, but the awaiting-validation list's.
ONLY_VALIDATION_MISSING = Q(media_count__gt=0, passed_media__gte=F("media_count"))


def waiting_for_erasure():
    """Received devices with media still to erase and none whose latest attempt failed,
    oldest arrival first."""
    return (
        _received_with_latest_attempt()
        .filter(has_failed_medium=False)
        .exclude(ONLY_VALIDATION_MISSING)
        .order_by("received_at", "pk")
    )


def failed_erasures():
    """Received devices with a medium whose latest erasure attempt failed, oldest arrival
    first."""
    return (
        _received_with_latest_attempt().filter(has_failed_medium=True).order_by("received_at", "pk")
    )


def waiting_for_refurbishment():
    """Erased devices, longest-waiting first."""
    return (
        Device.objects.filter(status=Status.ERASED)
        .select_related("batch__donor")
        .order_by("status_changed_at", "pk")
    )


def awaiting_validation():
    """Passed erasures of received devices that no second technician has validated yet,
    oldest first (empty unless settings.ERASURE_VALIDATION_REQUIRED)."""
    if not erasure_coverage.validation_required():
        return Erasure.objects.none()
    validated_later = Erasure.objects.filter(
        medium=OuterRef("medium"),
        recorded_at__gte=OuterRef("device__received_at"),
        result=Erasure.Result.PASSED,
        validated_by__isnull=False,
    )
    return (
        Erasure.objects.filter(
            device__status=Status.RECEIVED,
            recorded_at__gte=F("device__received_at"),
            result=Erasure.Result.PASSED,
            validated_by__isnull=True,
        )
        .filter(~Exists(validated_later))
        .select_related("device__batch__donor", "medium", "technician")
        .order_by("recorded_at", "pk")
    )


def workqueue_counts():
    """The queue lengths in two queries (for the queue page and the start page)."""
    counts = (
        Device.objects.filter(status__in=[Status.RECEIVED, Status.ERASED])
        .annotate(
            has_failed_medium=Exists(_failed_now()),
            media_count=_count(StorageMedium.objects.filter(device=OuterRef("pk")), "pk"),
            passed_media=_count(_since_received().filter(result=Erasure.Result.PASSED), "medium"),
        )
        .aggregate(
            erasure=Count(
                "pk",
                filter=Q(status=Status.RECEIVED, has_failed_medium=False)
                & ~ONLY_VALIDATION_MISSING,
            ),
            failed=Count("pk", filter=Q(status=Status.RECEIVED, has_failed_medium=True)),
            refurbishment=Count("pk", filter=Q(status=Status.ERASED)),
        )
    )
    counts["validation"] = awaiting_validation().count()
    return counts
