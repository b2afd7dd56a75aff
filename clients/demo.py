"""Demo data of the clients app (milestones, clients, handovers, support points). Idempotent."""


def seed(users):
    """Seed the coaching catalogue, clients and their progress."""
