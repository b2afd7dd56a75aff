"""Invite a user through the service and follow a mailed link as the new user does."""

from urllib.parse import urlsplit

from accounts import services
from kierratys import roles

NEW_PASSWORD = "Kierratys-salasana-2026"


def invite(actor, *, username="uusi.valmentaja", role=roles.COACH, **extra):
    values = {"first_name": "Uuno", "last_name": "Uusi", "email": f"{username}@example.fi"}
    values.update(extra)
    return services.user_invite(actor=actor, username=username, role=role, **values)


def link_to(mail_links, part):
    """The one link of a mail's links whose path contains `part`."""
    [link] = [link for link in mail_links if part in urlsplit(link).path]
    return link


def set_password_from(link, client, password=NEW_PASSWORD):
    """Open a mailed set-password link and set `password`; returns the POST's response."""
    form_page = client.get(urlsplit(link).path, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"], "the link is not valid"
    return client.post(
        form_page.request["PATH_INFO"], {"new_password1": password, "new_password2": password}
    )
