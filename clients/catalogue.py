"""The default coaching-milestone catalogue: the one the demo data, the benchmark and the
test factories all start from, so they speak of the same milestones with the same codes.

Each entry: code, required, names (fi, sv, en), descriptions (fi, sv, en), in
catalogue order. Coordinators change the live catalogue in the application;
this is only where a new programme starts.
"""

from clients import services
from clients.models import Milestone

DEFAULT_MILESTONES = (
    (
        "kartoitus",
        True,
        (
            "Digitaitojen kartoitus",
            "Kartläggning av digitala färdigheter",
            "Digital skills assessment",
        ),
        (
            "Käydään läpi, mitä asiakas jo osaa ja mitä hän tarvitsee arjessaan.",
            "Vi går igenom vad kunden redan kan och vad hen behöver i vardagen.",
            "What the client already knows and needs in everyday life.",
        ),
    ),
    (
        "perusteet",
        True,
        ("Laitteen peruskäyttö", "Grundläggande användning av enheten", "Basic device use"),
        (
            "Käynnistys, lukitus, kosketusnäyttö tai hiiri, sovellusten avaaminen ja lataus.",
            "Start, lås, pekskärm eller mus, öppna appar och ladda enheten.",
            "Switching on, locking, touch screen or mouse, opening apps, charging.",
        ),
    ),
    (
        "sahkoposti",
        True,
        ("Sähköposti", "E-post", "E-mail"),
        (
            "Oma sähköpostiosoite, viestin lukeminen, kirjoittaminen ja liitteen avaaminen.",
            "Egen e-postadress, läsa och skriva meddelanden, öppna bilagor.",
            "Own e-mail address, reading and writing messages, opening attachments.",
        ),
    ),
    (
        "tunnistautuminen",
        True,
        (
            "Vahva sähköinen tunnistautuminen",
            "Stark elektronisk identifiering",
            "Strong electronic identification",
        ),
        (
            "Pankkitunnukset tai mobiilivarmenne käyttöön ja turvallinen tunnistautuminen.",
            "Bankkoder eller mobilcertifikat och säker identifiering.",
            "Bank credentials or mobile certificate and identifying safely.",
        ),
    ),
    (
        "suomifi-viestit",
        True,
        ("Suomi.fi-viestit", "Suomi.fi-meddelanden", "Suomi.fi Messages"),
        (
            "Viranomaisten viestit sähköisesti: käyttöönotto ja viestien lukeminen.",
            "Myndigheternas meddelanden elektroniskt: ta i bruk och läsa.",
            "Messages from authorities online: taking them into use and reading them.",
        ),
    ),
    (
        "omakanta",
        True,
        ("OmaKanta", "MinaKanta", "My Kanta"),
        (
            "Reseptit, laboratoriotulokset ja terveystiedot OmaKanta-palvelussa.",
            "Recept, laboratoriesvar och hälsouppgifter i MinaKanta.",
            "Prescriptions, laboratory results and health records in My Kanta.",
        ),
    ),
    (
        "palvelusafari",
        True,
        ("Palvelusafari", "Servicesafari", "Service safari"),
        (
            "Tutustutaan yhdessä asiakkaalle tärkeisiin verkkopalveluihin (Kela, TE-palvelut, "
            "pankki, kunta).",
            "Vi bekantar oss med nättjänster som är viktiga för kunden (FPA, TE-tjänster, bank, "
            "kommun).",
            "Exploring the online services that matter to the client (Kela, employment services, "
            "bank, municipality).",
        ),
    ),
    (
        "tietoturva",
        False,
        (
            "Tietoturvan perusteet",
            "Grunderna i informationssäkerhet",
            "Information security basics",
        ),
        (
            "Huijausviestien tunnistaminen, salasanat ja päivitykset.",
            "Känna igen bedrägliga meddelanden, lösenord och uppdateringar.",
            "Recognising scam messages, passwords and updates.",
        ),
    ),
)


def catalogue_seed(*, actor, milestones=DEFAULT_MILESTONES):
    """Create the catalogue's milestones that do not exist yet (by code); returns all, in order."""
    existing = {m.code: m for m in Milestone.objects.filter(code__in=[m[0] for m in milestones])}
    created = []
    for order, (code, required, names, descriptions) in enumerate(milestones, start=1):
        milestone = existing.get(code)
        if milestone is None:
            milestone = services.milestone_create(
                actor=actor,
                code=code,
                order=order * 10,
                required=required,
                name_fi=names[0],
                name_sv=names[1],
                name_en=names[2],
                description_fi=descriptions[0],
                description_sv=descriptions[1],
                description_en=descriptions[2],
            )
        created.append(milestone)
    return created
