"""What the receipt tells the client: the erasure in plain words (the technical line small
beneath), the coach's name and phone, a loan's return (to whom, by when, own data removed
first), a back-dated handover's day and reason, and large print (at least 14 pt) for weak
sight or by choice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import services
from clients.documents import handover_receipt_pdf
from clients.models import Handover
from devices.models import Erasure
from tests.factories import (
    erase,
    make_batch,
    make_device,
    make_eligible_client,
    prepare_for_handover,
    refurbish,
)
from tests.support import one_line, pdf_pages, pdf_text, shown_date

pytestmark = pytest.mark.django_db

WEAK_SIGHT = "Heikko näkö, tarvitsee isot kirjaimet"


def _handover(coach, technician, donor, *, kind=Handover.Kind.GIFT, needs="", **terms):
    device = make_device(make_batch(donor, technician), technician, model="ThinkPad T480")
    erase(
        device, technician, method=Erasure.Method.PURGE, technique=Erasure.Technique.NVME_SANITIZE
    )
    refurbish(device, technician)
    client = make_eligible_client(coach, name="Matti Meikäläinen", accessibility_needs=needs)
    reserved = services.handover_reserve(client=client, device=device, actor=coach)
    prepare_for_handover(reserved, coach)
    if kind == Handover.Kind.LOAN:
        terms.setdefault("due_date", timezone.localdate() + datetime.timedelta(days=30))
    return services.handover_complete(handover=reserved, actor=coach, kind=kind, **terms)


def _runs(pdf):
    """(text, rendered size in pt) of each run of text, as the loan letter test measures it."""
    runs = []
    for page in pdf_pages(pdf):

        def visit(text, cm, tm, font_dict, font_size):
            if text.strip():
                runs.append((text, round(font_size * abs(tm[3]) * abs(cm[3] or 1), 1)))

        page.extract_text(visitor_text=visit)
    return runs


def _median_size(pdf):
    sizes = sorted(size for _, size in _runs(pdf))
    return sizes[len(sizes) // 2]


def _size_of(pdf, words):
    return next(size for text, size in _runs(pdf) if words in text)


def test_the_erasure_in_plain_words_with_the_technical_line_small(coach, technician, donor):
    handover = _handover(coach, technician, donor)
    pdf = handover_receipt_pdf(handover)
    text = one_line(pdf_text(pdf))
    erased_on = shown_date(timezone.localdate())
    plain = f"Laitteen aiemmat tiedot on poistettu {erased_on}."
    technical = "Tekninen tieto (NIST SP 800-88): puhdistus (Purge), NVMe Sanitize."
    assert plain in text and technical in text
    assert text.index(plain) < text.index(technical)
    assert "Tapa: " not in text
    assert _size_of(pdf, "NIST SP 800-88") < _size_of(pdf, "Laitteen aiemmat tiedot")


def test_the_receipt_names_the_coach_and_the_phone(coach, technician, donor):
    coach.first_name, coach.last_name = "Veera", "Valmentaja"
    coach.save()
    handover = _handover(coach, technician, donor, coach_phone="040 765 4321")
    text = one_line(pdf_text(handover_receipt_pdf(handover)))
    assert "Työvalmentajasi: Veera Valmentaja, puhelin 040 765 4321" in text


def test_without_a_phone_the_coach_is_still_named(coach, technician, donor):
    text = one_line(pdf_text(handover_receipt_pdf(_handover(coach, technician, donor))))
    assert f"Apua laitteen käyttöön Työvalmentajasi: {coach.get_full_name()} " in text
    assert "puhelin" not in text


def test_a_loan_says_where_and_by_when_to_return_and_to_remove_own_data(coach, technician, donor):
    handover = _handover(coach, technician, donor, kind=Handover.Kind.LOAN)
    text = one_line(pdf_text(handover_receipt_pdf(handover)))
    assert f"Palauta laite viimeistään {shown_date(handover.due_date)}." in text
    assert "Palauta laite työvalmentajallesi." in text
    assert "Sovi palauttamisen paikka ja aika työvalmentajasi kanssa." in text
    # The coach is named in the loan's terms and again under "Apua laitteen käyttöön".
    assert text.count(f"Työvalmentajasi: {coach.get_full_name()}") == 2
    assert (
        "Ennen kuin palautat laitteen: ota omat kuvasi ja tiedostosi talteen ja poista ne "
        "laitteesta." in text
    )


def test_a_gift_has_no_return_instructions(coach, technician, donor):
    text = one_line(pdf_text(handover_receipt_pdf(_handover(coach, technician, donor))))
    assert "Laite on lahja" in text
    assert "Ennen kuin palautat laitteen" not in text


def test_a_back_dated_receipt_shows_the_day_and_when_and_why_it_was_recorded(
    coach, technician, donor
):
    on_the_day = _handover(coach, technician, donor)
    # A reservation made ten days ago, handed over five days ago, recorded today.
    device = make_device(make_batch(donor, technician), technician, model="Latitude 5490")
    erase(device, technician)
    refurbish(device, technician)
    client = make_eligible_client(coach, name="Maija Jälkikäteen")
    reserved = services.handover_reserve(client=client, device=device, actor=coach)
    prepare_for_handover(reserved, coach)
    reserved.reserved_at = timezone.now() - datetime.timedelta(days=10)
    reserved.save(update_fields=["reserved_at"])
    five_days_ago = timezone.localdate() - datetime.timedelta(days=5)
    done = services.handover_complete(
        handover=reserved,
        actor=coach,
        kind=Handover.Kind.GIFT,
        handed_over_on=five_days_ago,
        backdating_reason="Luovutettiin kylätalolla ilman verkkoa",
    )
    text = one_line(pdf_text(handover_receipt_pdf(done)))
    assert f"Päivämäärä {shown_date(five_days_ago)}" in text
    assert (
        f"Kirjattu jälkikäteen {shown_date(timezone.localdate())}: "
        "Luovutettiin kylätalolla ilman verkkoa" in text
    )
    assert "Kirjattu jälkikäteen" not in one_line(pdf_text(handover_receipt_pdf(on_the_day)))


def test_large_print_for_weak_sight(coach, technician, donor):
    plain = _handover(coach, technician, donor)
    weak_sight = _handover(coach, technician, donor, needs=WEAK_SIGHT)
    assert _median_size(handover_receipt_pdf(plain)) < 14
    large = handover_receipt_pdf(weak_sight)
    assert _median_size(large) >= 14
    assert _size_of(large, "Laitteen aiemmat tiedot") >= 14
    assert "Matti Meikäläinen" in one_line(pdf_text(large))


def test_large_print_by_choice_when_printing(coach_client, coach, technician, donor):
    handover = _handover(coach, technician, donor)
    url = reverse("clients:handover_receipt", kwargs={"pk": handover.pk})
    assert _median_size(coach_client.get(url).content) < 14
    large = coach_client.get(url, {"suuri": "1"})
    assert large["Content-Type"] == "application/pdf"
    assert _median_size(large.content) >= 14


def test_the_client_page_offers_the_large_print_receipt(coach_client, coach, technician, donor):
    handover = _handover(coach, technician, donor, kind=Handover.Kind.LOAN)
    page = coach_client.get(handover.client.get_absolute_url()).content.decode()
    url = reverse("clients:handover_receipt", kwargs={"pk": handover.pk})
    assert f'href="{url}?suuri=1"' in page
    assert "Kuitti suurella tekstillä (PDF)" in page
