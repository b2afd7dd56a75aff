"""The devices app's models, one module per part of the domain; imported here so that
`devices.models.Device` and Django's app registry find them all."""

from devices.models.certificates import ErasureCertificate
from devices.models.device import (
    INTAKE_FIELDS,
    LIFECYCLE_FIELDS,
    STATUS_WRITE_REFUSED,
    Device,
    DeviceQuerySet,
    StatusWriteError,
)
from devices.models.donors import BatchListItem, DonationBatch, Donor
from devices.models.imports import PENDING_IMPORT_MAX_AGE, PendingImport
from devices.models.media import EvidenceFile, StorageMedium
from devices.models.processing import Erasure, RefurbishmentCheck

__all__ = [
    "INTAKE_FIELDS",
    "LIFECYCLE_FIELDS",
    "PENDING_IMPORT_MAX_AGE",
    "STATUS_WRITE_REFUSED",
    "BatchListItem",
    "Device",
    "DeviceQuerySet",
    "DonationBatch",
    "Donor",
    "Erasure",
    "ErasureCertificate",
    "EvidenceFile",
    "PendingImport",
    "RefurbishmentCheck",
    "StorageMedium",
    "StatusWriteError",
]
