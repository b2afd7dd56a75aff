"""Issue 12, D5: an identity code is refused however a word processor or a paste has spelled it.

Word and Outlook turn the hyphen into an en dash, a copy from a web page brings a
non-breaking hyphen, a zero-width space or full-width digits. Each spelling is refused
by the model's validator and by the service (nothing saved, no history row); texts that
only look similar (a date range, a phone number, an invoice number) are saved.
"""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients import services
from clients.models import Client
from clients.validators import IDENTITY_CODE_REFUSED, validate_no_identity_code
from devices.models import Device

pytestmark = pytest.mark.django_db

MESSAGE = str(IDENTITY_CODE_REFUSED)

# The check character is not verified (a mistyped code is still a code): 010190-123A and
# 010190-123M (the correct one) are both refused.
SPELLINGS = {
    "en dash": "010190\u2013123A",
    "en dash, correct check character": "010190\u2013123M",
    "em dash": "010190\u2014123A",
    "hyphen U+2010": "010190\u2010123A",
    "non-breaking hyphen": "010190\u2011123A",
    "figure dash": "010190\u2012123A",
    "horizontal bar": "010190\u2015123A",
    "minus sign": "010190\u2212123A",
    "small em dash": "010190\ufe58123A",
    "small hyphen-minus": "010190\ufe63123A",
    "full-width hyphen-minus": "010190\uff0d123A",
    "spaces around the sign": "010190 - 123A",
    "space before the sign": "010190 -123A",
    "space after the sign": "010190- 123A",
    "spaces around an en dash": "010190 \u2013 123A",
    "no-break spaces around the sign": "010190\u00a0-\u00a0123A",
    "narrow no-break spaces around the sign": "010190\u202f\u2013\u202f123A",
    "spaces around the 1800s sign": "010150 + 123A",
    "zero-width space in the date": "0101\u200b90-123A",
    "zero-width space after the sign": "010190-\u200b123A",
    "zero-width non-joiner": "010190\u200c-123A",
    "zero-width joiner": "01019\u200d0-123A",
    "word joiner": "010190-12\u20603A",
    "byte order mark": "010190-1\ufeff23A",
    "soft hyphen": "0101\u00ad90-123A",
    "full-width digits": "\uff10\uff11\uff10\uff11\uff19\uff10-\uff11\uff12\uff13\uff21",
    "full-width throughout": "\uff10\uff11\uff10\uff11\uff19\uff10\uff0d\uff11\uff12\uff13\uff21",
    "full-width, 2000s sign": "\uff10\uff12\uff10\uff15\uff10\uff12\uff25\uff19\uff10\uff12\uff38",
    "full-width 1900s sign Y": "010594\uff399021",
    "zero-width space before the sign A": "020502\u200bA902X",
    "lower case with an en dash": "010190\u2013123a",
    "in a sentence": "Asiakkaan hetu on 010190\u2013123A, kysy lisää.",
}

# Texts an ordinary note carries that share digits or dashes with an identity code.
LOOK_ALIKES = {
    "date range with an en dash": "Valmennus 01.01.1990\u201312.3.",
    "date range with spaces": "Jakso 01.01.1990 \u2013 12.03.1990",
    "day range": "Tavattu 1.\u201312.3.1990",
    "phone number, international": "+358 40 123 4567",
    "phone number with an en dash": "puh. 040\u2013123 4567",
    "phone number with spaces around a dash": "puh. 040 - 123 4567",
    "invoice number": "Lasku nro 20260101\u201390123",
    "receipt number": "Kuitti LK-2026-00123",
    "reference number": "Viitenumero 10190 12345 6",
    "opening hours": "ma\u2013pe 10\u201314",
    "number without a sign": "Tilaus 0101901234",
}

CLIENT_FIELDS = {
    "name": "Matti Meikäläinen",
    "phone": "040 123 4567",
    "municipality_id": "109",  # Hämeenlinna, by its code in the classification
    "service": Client.Service.EMPLOYMENT,
    "device_need": Device.Category.LAPTOP,
}


def _create(coach, notes):
    return services.client_create(
        actor=coach, coach=coach, consent_date=timezone.localdate(), notes=notes, **CLIENT_FIELDS
    )


@pytest.mark.parametrize("text", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_the_validator_refuses_the_spelling(text):
    with pytest.raises(ValidationError) as refusal:
        validate_no_identity_code(text)
    assert refusal.value.code == "identity_code"
    assert refusal.value.messages == [MESSAGE]


@pytest.mark.parametrize("text", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_client_create_refuses_the_spelling(coach, text):
    with pytest.raises(ValidationError) as refusal:
        _create(coach, text)
    assert refusal.value.message_dict["notes"] == [MESSAGE]
    assert not Client.objects.exists()
    assert not Client.history.exists()


@pytest.mark.parametrize("text", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_the_validator_accepts_a_look_alike(text):
    validate_no_identity_code(text)


@pytest.mark.parametrize("text", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_client_create_saves_a_look_alike(coach, text):
    client = _create(coach, text)
    client.refresh_from_db()
    # Saved as typed: the normalisation is only for the check.
    assert client.notes == text
