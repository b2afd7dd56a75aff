"""A batch's device list written as a spreadsheet (CSV or XLSX through tablib), formula-safe."""

import tablib
from django.utils.translation import gettext

from devices.import_mapping import field_label
from kierratys.csv_export import neutralise

EXPORT_FIELDS = (
    "inventory_code",
    "category",
    "manufacturer",
    "model",
    "serial_number",
    "imei",
    "asset_tag",
    "condition_grade",
    "status",
)


def batch_device_table(devices):
    """A tablib Dataset of the devices with Finnish headers, every cell formula-safe."""
    headers = [field_label(name) for name in EXPORT_FIELDS]
    dataset = tablib.Dataset(headers=headers, title=gettext("Laitteet")[:31])
    for device in devices:
        dataset.append([neutralise(str(_display(device, name))) for name in EXPORT_FIELDS])
    return dataset


def _display(device, name):
    if name in {"category", "condition_grade", "status"}:
        return getattr(device, f"get_{name}_display")()
    return getattr(device, name)
