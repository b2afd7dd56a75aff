"""Demo data of the devices app (donors, batches, devices in every state). Idempotent."""


def seed(users):
    """Seed donors, batches and devices; later steps of the lifecycle are added here."""
