"""Reading a client's personal data is recorded, as social-welfare client registers require."""

from clients.models import AccessLog


def access_log_record(*, client, user, action):
    """Record that `user` read `client`'s personal data (`action`: an AccessLog.Action)."""
    if action not in AccessLog.Action.values:
        raise ValueError(f"Unknown access-log action: {action!r}")
    return AccessLog.objects.create(client=client, user=user, action=action)
