"""The header navigation: each role sees its own menu and none of the other roles' items."""

import re
from html import unescape

import pytest
from django.urls import reverse

ITEMS = {
    "donor": {("Lahjoituserämme", "devices:batch_list")},
    "technician": {
        ("Erät", "devices:batch_list"),
        ("Laitteet", "devices:device_list"),
        ("Työjono", "devices:workqueue"),
    },
    "coach": {
        ("Asiakkaat", "clients:client_list"),
        ("Jonotuslista", "clients:waiting_list"),
        ("Erääntyneet lainat", "clients:overdue_loans"),
    },
    "coordinator_only": {
        ("Raportit", "reports:dashboard"),
        ("Lahjoittajat", "devices:donor_list"),
        ("Välitavoitteet", "clients:milestone_list"),
        ("Digitukipisteet", "clients:supportpoint_list"),
        ("Käyttäjät", "accounts:user_list"),
        ("Ylläpito", "admin:index"),
    },
}
HOME = {("Etusivu", "home")}

# Coordinators use every staff page; the donor's own menu is not theirs.
MENU = {
    "coordinator": HOME | ITEMS["technician"] | ITEMS["coach"] | ITEMS["coordinator_only"],
    "technician": HOME | ITEMS["technician"],
    "coach": HOME | ITEMS["coach"],
    "donor": HOME | ITEMS["donor"],
}
FIXTURE = {
    "coordinator": "coordinator",
    "technician": "technician",
    "coach": "coach",
    "donor": "donor_user",
}
NAV = re.compile(r'<nav class="main-nav"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.S)


def nav_links(response):
    """The (text, href) pairs of the header navigation on a page."""
    match = NAV.search(response.content.decode())
    assert match, "the page has no header navigation"
    return {(unescape(text).strip(), href) for href, text in LINK.findall(match.group(1))}


def resolved(items):
    return {(text, reverse(name)) for text, name in items}


@pytest.mark.parametrize("role", sorted(MENU))
def test_each_role_sees_its_own_menu_and_no_other(request, db, client, role):
    client.force_login(request.getfixturevalue(FIXTURE[role]))
    links = nav_links(client.get(reverse("home")))
    assert links == resolved(MENU[role])
    others = set().union(*ITEMS.values()) - MENU[role]
    assert not links & resolved(others)


@pytest.mark.parametrize("role", sorted(MENU))
def test_every_menu_link_opens_for_its_role(request, db, client, role):
    # A link the role may not use would be a 403 behind a menu item: never show one.
    client.force_login(request.getfixturevalue(FIXTURE[role]))
    for text, href in nav_links(client.get(reverse("home"))):
        assert client.get(href).status_code == 200, f"{role}: {text} ({href})"


def test_anonymous_user_gets_no_menu(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert not NAV.search(response.content.decode())
