"""Read queries of the devices app that several views (and other apps) use."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from devices.models import Device, DonationBatch, Donor
from kierratys import roles


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


def donors_of(user):
    """The donor organisations a user may register batches for."""
    if roles.is_staff_member(user):
        return Donor.objects.all()
    return user.donor_organisations.all()


def batches_visible_to(user):
    """Staff see every batch; a donor user only his or her organisations' batches."""
    batches = DonationBatch.objects.select_related("donor")
    if roles.is_staff_member(user):
        return batches
    if roles.is_donor(user):
        return batches.filter(donor__users=user)
    return batches.none()


def batch_for(user, reference):
    """The batch if the user may see it; 404 otherwise, so its existence is not leaked."""
    return get_object_or_404(
        with_state_counts(batches_visible_to(user)).select_related("registered_by", "received_by"),
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


def device_list(*, search="", status="", category="", batch=None, donor=None):
    """Devices for the list page, newest first, with their batch and donor in the same query."""
    devices = Device.objects.select_related("batch__donor")
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
    if batch is not None:
        devices = devices.filter(batch=batch)
    if donor is not None:
        devices = devices.filter(batch__donor=donor)
    return devices.order_by("-logged_at", "-pk")


def batch_devices(batch):
    return batch.devices.order_by("logged_at", "pk")


def next_list_item(batch):
    """The first row of the donor's list that has no device logged yet."""
    return batch.list_items.filter(device__isnull=True).order_by("row_number").first()
