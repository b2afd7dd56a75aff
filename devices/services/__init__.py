"""Device services: donors, donation batches, intake and its corrections, erasure attempts and
refurbishment checks, one module per part; imported here so that callers write
`services.batch_receive(...)`.

Every write that carries a rule runs here, in a transaction on the locked row;
status changes of a device go through devices.lifecycle."""

from devices.models import RefurbishmentCheck
from devices.services.batches import (
    BATCH_CANCEL_NOT_ALLOWED,
    BATCH_CANCELLED_NOT_RECEIVABLE,
    BATCH_DETAIL_FIELDS,
    BATCH_EDIT_NOT_ALLOWED,
    BATCH_FIELD_NOT_EDITABLE,
    BATCH_HAS_NO_DEVICES,
    BATCH_HAS_UNPROCESSED_DEVICES,
    BATCH_NOT_CANCELLABLE,
    BATCH_NOT_EDITABLE,
    BATCH_NOT_PROCESSABLE,
    BATCH_NOT_RECEIVABLE,
    CANCEL_NEEDS_REASON,
    BatchChangeError,
    batch_cancel,
    batch_mark_processed,
    batch_receive,
    batch_register,
    batch_update,
    may_cancel_batch,
    may_edit_batch,
)
from devices.services.donors import (
    DONOR_FIELD_NOT_EDITABLE,
    DONOR_FIELDS,
    DonorError,
    donor_create,
    donor_update,
)
from devices.services.errors import REASON_MAX_LENGTH, REASON_TOO_LONG, IntakeError
from devices.services.intake import (
    BATCH_NOT_OPEN_FOR_INTAKE,
    CORRECTABLE_FIELDS,
    CORRECTION_CHANGES_NOTHING,
    CORRECTION_NEEDS_REASON,
    FIELD_NOT_CORRECTABLE,
    CorrectionError,
    device_correct,
    device_intake,
)
from devices.services.processing import (
    DESTRUCTION_NEEDS_REASON,
    DISPOSAL_ONLY_WHEN_DESTROYED,
    ERASURE_NOT_EXPECTED,
    REFURBISHMENT_NOT_EXPECTED,
    ProcessingError,
    erasure_record,
    refurbishment_record,
)

__all__ = [
    "BATCH_CANCELLED_NOT_RECEIVABLE",
    "BATCH_CANCEL_NOT_ALLOWED",
    "BATCH_DETAIL_FIELDS",
    "BATCH_EDIT_NOT_ALLOWED",
    "BATCH_FIELD_NOT_EDITABLE",
    "BATCH_HAS_NO_DEVICES",
    "BATCH_HAS_UNPROCESSED_DEVICES",
    "BATCH_NOT_CANCELLABLE",
    "BATCH_NOT_EDITABLE",
    "BATCH_NOT_OPEN_FOR_INTAKE",
    "BATCH_NOT_PROCESSABLE",
    "BATCH_NOT_RECEIVABLE",
    "CANCEL_NEEDS_REASON",
    "CORRECTABLE_FIELDS",
    "CORRECTION_CHANGES_NOTHING",
    "CORRECTION_NEEDS_REASON",
    "DESTRUCTION_NEEDS_REASON",
    "DISPOSAL_ONLY_WHEN_DESTROYED",
    "DONOR_FIELDS",
    "DONOR_FIELD_NOT_EDITABLE",
    "ERASURE_NOT_EXPECTED",
    "FIELD_NOT_CORRECTABLE",
    "REASON_MAX_LENGTH",
    "REASON_TOO_LONG",
    "REFURBISHMENT_NOT_EXPECTED",
    "BatchChangeError",
    "CorrectionError",
    "DonorError",
    "IntakeError",
    "ProcessingError",
    # Kept for callers that read the checklist's fields through the services.
    "RefurbishmentCheck",
    "batch_cancel",
    "batch_mark_processed",
    "batch_receive",
    "batch_register",
    "batch_update",
    "device_correct",
    "device_intake",
    "donor_create",
    "donor_update",
    "erasure_record",
    "may_cancel_batch",
    "may_edit_batch",
    "refurbishment_record",
]
