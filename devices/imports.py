"""Device lists imported: a donor's list at registration, a technician's list into a received batch.

Why not django-import-export's Resource: a device may only come in through
`services.device_intake` (inventory code, batch state check, refusal of a
known serial, history with the acting user). A Resource saves model instances
itself and reports field dictionaries; bending it to call the service per row
took more code than it saved. So each row is validated by the very form the
keyboard intake uses, and saved by the very service, one row at a time (so
every device leaves its own history record — no bulk writes), inside one
transaction: all rows or none."""

from django.core.exceptions import ValidationError
from django.db import transaction

from devices import services
from devices.forms.intake import BatchListRowForm, DeviceIntakeForm
from devices.spreadsheets import (
    ImportRejected,
    RowError,
    read_sheet,
    require_columns,
    validate_rows,
)

LIST_REQUIRED = ("category", "manufacturer", "model")


DEVICE_REQUIRED = ("category", "manufacturer", "model")


def parse_donor_list(uploaded_file):
    """A donor's device list as BatchListItem field dicts; raises ImportRejected naming rows."""
    present, sheet_rows = read_sheet(uploaded_file)
    require_columns(present, LIST_REQUIRED)
    cleaned, errors = validate_rows(sheet_rows, form_class=BatchListRowForm, required=LIST_REQUIRED)
    if errors:
        raise ImportRejected(errors)
    return [data for _row, data in cleaned]


def batch_import_devices(*, batch, actor, uploaded_file, condition_grade):
    """Log every row of a device list into a received batch: all rows or none (ImportRejected)."""
    present, sheet_rows = read_sheet(uploaded_file)
    require_columns(present, DEVICE_REQUIRED)
    cleaned, errors = validate_rows(
        sheet_rows,
        form_class=DeviceIntakeForm,
        required=DEVICE_REQUIRED,
        defaults={"condition_grade": condition_grade},
    )
    if errors:
        raise ImportRejected(errors)
    devices = []
    with transaction.atomic():
        for row, data in cleaned:
            try:
                devices.append(services.device_intake(batch=batch, actor=actor, **data))
            except ValidationError as error:
                # Another user logged the same serial meanwhile, or the batch closed.
                transaction.set_rollback(True)
                raise ImportRejected(
                    [RowError(row.number, message) for message in error.messages]
                ) from None
    return devices
