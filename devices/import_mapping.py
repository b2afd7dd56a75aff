"""Which column of a device list is which Device field, and which words are which category.

Headers and category words are matched in Finnish, Swedish and English and as the
common inventory systems export them ("Device Serial Number", "ComputerMonitor",
"Laptops"). Rows that are not a device the programme takes (monitors, keyboards,
docks...) are told apart from unknown words, so they can be left out with a reason
instead of blocking the whole list."""

import re
from decimal import Decimal, InvalidOperation

from devices.models import INTAKE_FIELDS, Device

IMPORT_FIELDS = INTAKE_FIELDS
DONOR_LIST_FIELDS = ("category", "manufacturer", "model", "serial_number", "asset_tag")
NOT_A_DEVICE = "not_a_device"


def _words(text):
    return tuple(text.split())


# Column names people use for each field (fi, sv, en and export names), written as
# header_words() leaves them: lower case, punctuation as spaces.
COLUMN_ALIASES = {
    "category": "category|laji|kategoria|tyyppi|laitetyyppi|laitelaji|type|device type|"
    "asset type|kategori|typ|enhetstyp|utrustningstyp",
    "manufacturer": "manufacturer|valmistaja|merkki|tuotemerkki|brand|make|vendor|"
    "tillverkare|märke|fabrikat",
    "model": "model|malli|laitemalli|model name|product|product name|modell|modellnamn",
    "serial_number": "serial|serial number|serial no|serial nr|serialnumber|s n|sn|"
    "service tag|sarjanumero|sarjanro|sarja nro|serienummer|serienr",
    "imei": "imei|imei 1|imei1|imei number|imei koodi|imei nummer",
    "asset_tag": "asset tag|asset|asset id|asset number|tag|inventaariotunnus|"
    "lahjoittajan inventaariotunnus|inventaarionumero|tunnus|omaisuustunnus|inventory number|"
    "inventarienummer|inventarienr|tillgångsnummer",
    "cpu": "cpu|processor|suoritin|prosessori|processor model",
    "ram_gb": "ram|ram gb|memory|memory gb|muisti|muisti gt|keskusmuisti|minne|minne gb|"
    "arbetsminne",
    "storage_gb": "storage|storage gb|disk|disk gb|disk size|drive size|hdd|ssd|hard drive|"
    "tallennustila|tallennustila gt|levy|levytila|kiintolevy|massamuisti|lagring|hårddisk|"
    "lagringsutrymme",
    "storage_type": "storage type|disk type|drive type|tallennustilan tyyppi|levyn tyyppi|"
    "lagringstyp|disktyp",
    "screen_inches": "screen|screen size|screen inches|display|display size|näyttö|näytön koko|"
    "näyttö tuumaa|näytön koko tuumaa|skärm|skärmstorlek",
    "operating_system": "os|operating system|käyttöjärjestelmä|operativsystem",
    "condition_grade": "grade|condition|condition grade|kunto|kuntoluokka|skick|skickklass",
    "has_charger": "charger|laturi|laddare|power adapter|virtalähde",
    "has_case": "case|kotelo|suojakotelo|fodral|skal",
    "accessories_note": "accessories|tarvikkeet|muut tarvikkeet|lisävarusteet|tillbehör",
    "notes": "notes|note|comments|comment|remarks|info|huomiot|huomio|lisätiedot|kommentit|"
    "huomautukset|anteckningar|kommentar|övrigt",
}
_ALIASES = {
    field: tuple(_words(alias) for alias in aliases.split("|"))
    for field, aliases in COLUMN_ALIASES.items()
}
# Too general to find inside a longer header ("Asset EOL Date", "Case number"): these
# count only as the whole header.
_WHOLE_HEADER_ONLY = {"asset", "tag", "type", "typ", "case", "skal", "os", "sn", "s n", "tunnus"}
# A header ending in one of these names something else ("Model Number", "Asset Notes").
_OTHER_HEADS = set(
    "number no nr numero nummer id date pvm päivämäärä datum code koodi email price cost hinta "
    "notes note info comments huomiot type typ tyyppi speed nopeus resolution tarkkuus "
    "upplösning count määrä antal".split()
)


def plain_words(text):
    """Lower-case words, punctuation as spaces: "Serial No." -> ("serial", "no")."""
    return _words(re.sub(r"[^\w]+|_", " ", str(text or "").lower()))


def header_words(header):
    """A header as lower-case words, "DeviceSerialNumber" split too (but not "iPad")."""
    return plain_words(re.sub(r"(?<=[a-zäöå]{2})(?=[A-ZÄÖÅ][a-zäöå])", " ", str(header or "")))


def _contains(words, alias):
    size = len(alias)
    return any(words[i : i + size] == alias for i in range(len(words) - size + 1))


def _header_score(words, alias):
    if words == alias:
        return 3
    if " ".join(alias) in _WHOLE_HEADER_ONLY or not _contains(words, alias):
        return 0
    if words[-len(alias) :] == alias:
        return 2
    return 0 if words[-1] in _OTHER_HEADS else 1


def guess_mapping(headers, fields=IMPORT_FIELDS):
    """The column index each field is read from (None: no column), best matches first."""
    candidates = []
    for index, header in enumerate(headers):
        full = header_words(header)
        # "Serial Number (Manufacturer)": the words in brackets only qualify the name.
        plain = header_words(re.sub(r"\(.*?\)", " ", str(header or "")))
        for field in fields:
            for alias in _ALIASES.get(field, ()):
                score = max(_header_score(full, alias), _header_score(plain, alias))
                if score:
                    candidates.append((score, len(alias), -index, field, index))
    mapping = dict.fromkeys(fields)
    taken = set()
    for _score, _size, _order, field, index in sorted(candidates, reverse=True):
        if mapping[field] is None and index not in taken:
            mapping[field] = index
            taken.add(index)
    return mapping


def field_label(name, model=Device):
    return str(model._meta.get_field(name).verbose_name)


# Category words, singular and plural, fi/sv/en and common export names.
CATEGORY_WORDS = {
    Device.Category.LAPTOP: "laptop|notebook|netbook|chromebook|ultrabook|macbook|"
    "laptop computer|notebook computer|portable computer|kannettava|kannettavat|"
    "kannettava tietokone|kannettavat tietokoneet|läppäri|läppärit|sylimikro|bärbar|bärbara|"
    "bärbar dator|bärbara datorer|laptopdator",
    Device.Category.DESKTOP: "desktop|desktop computer|desktop pc|workstation|tower|all in one|"
    "aio|mini pc|pöytäkone|pöytäkoneet|pöytätietokone|pöytätietokoneet|työasema|työasemat|"
    "stationär|stationära|stationär dator|stationära datorer|arbetsstation|pc",
    Device.Category.TABLET: "tablet|tablet pc|tablet computer|ipad|tabletti|tabletit|"
    "tablettitietokone|surfplatta|surfplattor|läsplatta|pekplatta",
    Device.Category.PHONE: "phone|smartphone|mobile phone|mobile|cell phone|cellphone|iphone|"
    "puhelin|puhelimet|älypuhelin|älypuhelimet|matkapuhelin|matkapuhelimet|kännykkä|kännykät|"
    "telefon|telefoner|mobiltelefon|mobiltelefoner|mobil|smarttelefon|smarttelefoner",
    Device.Category.OTHER: "other|muu|muut|annan|övrig|övriga",
    NOT_A_DEVICE: "monitor|computer monitor|display|screen|näyttö|näytöt|monitori|tietokonenäyttö|"
    "bildskärm|bildskärmar|skärm|skärmar|keyboard|näppäimistö|näppäimistöt|tangentbord|mouse|"
    "mice|hiiri|hiiret|mus|möss|printer|tulostin|tulostimet|skrivare|scanner|skanneri|skanner|"
    "projector|projektori|videotykki|projektor|cable|kaapeli|kaapelit|kabel|kablar|dock|"
    "docking station|port replicator|telakka|telakointiasema|dockningsstation|headset|"
    "headphones|earphones|kuulokkeet|kuulokemikrofoni|hörlurar|speaker|kaiutin|kaiuttimet|"
    "högtalare|webcam|verkkokamera|webbkamera|charger|power adapter|power supply|laturi|"
    "laturit|virtalähde|laddare|nätadapter|router|reititin|switch|kytkin|access point|server|"
    "palvelin|accessory|accessories|peripheral|peripherals|tarvike|tarvikkeet|oheislaite|"
    "oheislaitteet|tillbehör|bag|laukku|väska|consumable|toner|license|licence|software|"
    "lisenssi|ohjelmisto|component|komponentti|ups",
}
# Words that say only "a device": the category then comes from the default or the model.
GENERIC_CATEGORY_WORDS = set(
    "computer computers tietokone tietokoneet dator datorer device devices laite laitteet "
    "enhet enheter hardware laitteisto equipment asset assets it".split()
)
# A word that is a device only when no other device word is there ("Tablet PC").
_WEAK_WORDS = {("pc",), ("mobile",), ("mobil",)}


def _category_phrases():
    phrases = {}
    for category, words in CATEGORY_WORDS.items():
        for phrase in words.split("|"):
            phrases[_words(phrase)] = category
    return phrases


_CATEGORY_BY_PHRASE = _category_phrases()


def _category_of(phrase):
    found = _CATEGORY_BY_PHRASE.get(phrase)
    last = phrase[-1]
    if found is None and len(last) > 3 and last.endswith("s"):
        # English plurals: "Laptops", "Desktop Computers", "Monitors".
        found = _CATEGORY_BY_PHRASE.get((*phrase[:-1], last[:-1]))
    return found


def parse_category(text):
    """A Device.Category value, NOT_A_DEVICE, or None for a blank, generic or unknown word."""
    # "MacBook" as written, then "ComputerMonitor" split into its words.
    for words in dict.fromkeys((plain_words(text), header_words(text))):
        category = _category_in(words)
        if category is not None:
            return category
    return None


def _category_in(words):
    if not words:
        return None
    whole = _category_of(words)
    if whole is not None:
        return whole
    found = {}
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            phrase = words[start : start + size]
            category = _category_of(phrase)
            if category is not None and not any(_contains(longer, phrase) for longer in found):
                found[phrase] = category
    # An accessory of a device ("Laptop Docking Station", "Phone case") is no device.
    if NOT_A_DEVICE in found.values():
        return NOT_A_DEVICE
    strong = {category for phrase, category in found.items() if phrase not in _WEAK_WORDS}
    kinds = strong or set(found.values())
    return kinds.pop() if len(kinds) == 1 else None


def category_is_generic(text):
    """The category cell says nothing about the kind ("Computer", "IT-laitteet")."""
    words = plain_words(text)
    return not words or all(word in GENERIC_CATEGORY_WORDS for word in words)


# Model families whose kind is known, checked in this order (tablets before laptops
# for "Yoga Tab", laptops before phones for "Chromebook Pixel").
_FAMILY_PATTERNS = (
    (
        NOT_A_DEVICE,
        r"monitor|keyboard|mouse|dock|docking station|port replicator|headset|webcam|printer|"
        r"näyttö|näppäimistö|hiiri|telakka|tulostin|bildskärm|tangentbord",
    ),
    (
        Device.Category.TABLET,
        r"ipad|galaxy tab|surface pro|surface go|yoga tab|lenovo tab|tab [a-z]?\d+|mediapad|"
        r"matepad|pixel (slate|tablet)|nokia t\d+|tablet|tabletti|surfplatta",
    ),
    (
        Device.Category.LAPTOP,
        r"thinkpad|thinkbook|ideapad|yoga|legion|elitebook|probook|zbook|spectre|omnibook|"
        r"latitude|xps \d{2}|macbook|chromebook|pixelbook|vaio|travelmate|zenbook|vivobook|"
        r"expertbook|galaxy book|surface laptop|surface book|matebook|toughbook|dynabook|"
        r"notebook|netbook|laptop|kannettava",
    ),
    (
        Device.Category.DESKTOP,
        r"optiplex|thinkcentre|thinkstation|elitedesk|prodesk|imac|mac mini|mac pro|mac studio|"
        r"veriton|expertcenter|all in one|desktop|pöytäkone",
    ),
    (
        Device.Category.PHONE,
        r"iphone|galaxy [samz]\d+|galaxy note|galaxy xcover|pixel \d+|pixel|nokia|moto [a-z]|"
        r"motorola|oneplus|redmi|xperia|fairphone|doro|huawei p\d+",
    ),
)
_FAMILIES = tuple(
    (category, re.compile(rf"\b(?:{pattern})\b")) for category, pattern in _FAMILY_PATTERNS
)
# "iPad Pro with Magic Keyboard" is a tablet: only the part before "with" names the kind.
_WITH = re.compile(r"\b(?:with|incl|including|ja|och|sis|sekä|mukana)\b|\+")


def suggest_category(manufacturer, model):
    """A category (or NOT_A_DEVICE) from well-known model families, or None."""
    text = _WITH.split(f"{manufacturer or ''} {model or ''}".lower(), maxsplit=1)[0]
    text = " ".join(plain_words(text))
    for category, pattern in _FAMILIES:
        if pattern.search(text):
            return category
    return None


# Cell texts turned into field values.
_YES = set("1 x yes y kyllä k true on ja joo".split())
_NO = set("0 no n ei false off nej -".split()) | {""}
_STORAGE_TYPES = {
    **{value: value for value in Device.StorageType.values},
    "ssd sata": "ssd",
    "sata ssd": "ssd",
    "m 2": "nvme",
    "nvme ssd": "nvme",
    "flash": "emmc",
    "ei": "none",
    "none": "none",
    "no": "none",
}
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([a-zA-Z\"”']*)\s*$")
_TERA = {"tb", "tt", "t"}


def yes_or_no(text):
    """True, False, or None when the cell is neither (a value the user must fix)."""
    word = " ".join(str(text).lower().split())
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


def parse_size(text, *, tera=False):
    """ "8", "8 GB", "1 TB" -> an integer (gigabytes), None if blank; ValueError if not a size."""
    if not text.strip():
        return None
    match = _NUMBER.match(text)
    if not match:
        raise ValueError(text)
    number = Decimal(match.group(1).replace(",", "."))
    if tera and match.group(2).lower() in _TERA:
        number *= 1000
    if number != number.to_integral_value():
        raise ValueError(text)
    return int(number)


def parse_inches(text):
    """'15,6', '15.6"', "13.3 in" -> Decimal, None if blank; ValueError if not a size."""
    if not text.strip():
        return None
    match = _NUMBER.match(text)
    if not match:
        raise ValueError(text)
    try:
        return Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None


def parse_storage_type(text):
    """A Device.StorageType value; the text itself (refused by the field) when unknown."""
    key = " ".join(plain_words(text))
    return _STORAGE_TYPES.get(key, text.strip())
