"""The client's loan reminder letter and the return receipt (PDF), and where they show."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import services
from clients.letters import loan_reminder_letter_pdf, return_receipt_pdf
from clients.models import AccessLog
from clients.views.loans import NOT_AN_OPEN_LOAN, NOT_RETURNED
from tests.clients.loan_factories import make_loan, move_calendar
from tests.factories import make_batch, make_ready_device
from tests.support import one_line, pdf_pages, pdf_response_text, pdf_text, shown_date

pytestmark = pytest.mark.django_db

WEAK_SIGHT = "Heikko näkö, tarvitsee isot kirjaimet"


@pytest.fixture
def batch(donor, technician):
    return make_batch(donor, technician, declared_count=10)


@pytest.fixture
def loan(batch, technician, coach):
    device = make_ready_device(batch, technician)
    return make_loan(coach, device, due_in=5, name="Aino Lainaaja", phone="040 111 2222")


def _font_sizes(pdf):
    """The rendered size (pt) of each run of body text: the font size times the text matrix."""
    sizes = []
    for page in pdf_pages(pdf):

        def visit(text, cm, tm, font_dict, font_size):
            if text.strip():
                sizes.append(round(font_size * abs(tm[3]) * abs(cm[3] or 1), 1))

        page.extract_text(visitor_text=visit)
    return sizes


def _median(values):
    values = sorted(values)
    return values[len(values) // 2]


def test_reminder_letter_in_finnish(loan):
    text = one_line(pdf_text(loan_reminder_letter_pdf(loan)))
    assert "Muistutus lainalaitteen palauttamisesta" in text
    assert "Hei Aino Lainaaja," in text
    due = shown_date(loan.due_date)
    assert f"Palauta laite viimeistään {due}." in text
    assert loan.device.inventory_code in text and loan.receipt_number in text


def test_overdue_reminder_letter_says_so(loan, monkeypatch):
    move_calendar(monkeypatch, 8)
    text = one_line(pdf_text(loan_reminder_letter_pdf(loan)))
    due = shown_date(loan.due_date)
    assert f"Laitteen palautuspäivä oli {due}. Palauta laite mahdollisimman pian." in text


def test_reminder_letter_in_swedish(batch, technician, coach):
    device = make_ready_device(batch, technician)
    loan = make_loan(coach, device, due_in=5, name="Sven Svensson", language="sv")
    text = one_line(pdf_text(loan_reminder_letter_pdf(loan)))
    assert "Påminnelse om att lämna tillbaka lånad enhet" in text
    assert "Hej Sven Svensson," in text
    assert f"Lämna tillbaka enheten senast {shown_date(loan.due_date)}." in text
    assert "Muistutus" not in text


def test_reminder_letter_in_large_print_for_weak_sight(batch, technician, coach, loan):
    device = make_ready_device(batch, technician)
    weak_sight = make_loan(
        coach, device, due_in=5, name="Bertta Näkö", accessibility_needs=WEAK_SIGHT
    )
    plain = _median(_font_sizes(loan_reminder_letter_pdf(loan)))
    large = _median(_font_sizes(loan_reminder_letter_pdf(weak_sight)))
    assert plain < 14 <= large
    assert "Hei Bertta Näkö," in one_line(pdf_text(loan_reminder_letter_pdf(weak_sight)))


def test_reminder_letter_view_logs_the_read(coach_client, coach, loan):
    response = coach_client.get(reverse("clients:loan_reminder_letter", args=[loan.pk]))
    assert "Hei Aino Lainaaja," in pdf_response_text(response)
    entry = AccessLog.objects.get(action=AccessLog.Action.REMINDER_LETTER)
    assert (entry.client, entry.user) == (loan.client, coach)


def _return(loan, coach, **fields):
    values = {"returned_on": timezone.localdate(), "condition": "B"} | fields
    return services.handover_return(handover=loan, actor=coach, **values)


def test_no_reminder_letter_for_a_returned_loan(coach_client, coach, loan):
    _return(loan, coach)
    response = coach_client.get(reverse("clients:loan_reminder_letter", args=[loan.pk]))
    assert response.status_code == 302
    assert not AccessLog.objects.filter(action=AccessLog.Action.REMINDER_LETTER).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert str(NOT_AN_OPEN_LOAN) in messages


def test_return_receipt(coach, loan):
    returned = _return(loan, coach, note="Laturi puuttui")
    text = one_line(pdf_text(return_receipt_pdf(returned)))
    assert "Palautuskuitti" in text
    assert f"Palautettu {shown_date(returned.returned_on)}" in text
    device = returned.device
    for value in (device.manufacturer, device.model, device.inventory_code, loan.receipt_number):
        assert value in text
    assert "Kunto palautettaessa B – käytön jälkiä" in text
    assert "Laturi puuttui" in text
    assert "Laitteen kaikki tiedot poistetaan ennen kuin kukaan muu saa laitteen." in text
    assert "Palauttajan allekirjoitus Aino Lainaaja" in text
    assert "Vastaanottajan allekirjoitus Veera" in text


def test_return_receipt_in_swedish(batch, technician, coach):
    device = make_ready_device(batch, technician)
    loan = make_loan(coach, device, due_in=5, name="Sven Svensson", language="sv")
    text = one_line(pdf_text(return_receipt_pdf(_return(loan, coach))))
    assert "Returkvitto" in text
    assert "Alla uppgifter på enheten raderas innan någon annan får den." in text


def test_return_receipt_view_logs_the_read(coach_client, coach, loan):
    _return(loan, coach)
    response = coach_client.get(reverse("clients:return_receipt", args=[loan.pk]))
    assert "Palautuskuitti" in pdf_response_text(response)
    entry = AccessLog.objects.get(action=AccessLog.Action.RETURN_RECEIPT)
    assert (entry.client, entry.user) == (loan.client, coach)


def test_no_return_receipt_before_the_return(coach_client, loan):
    response = coach_client.get(reverse("clients:return_receipt", args=[loan.pk]))
    assert response.status_code == 302
    assert str(NOT_RETURNED) in [str(m) for m in response.wsgi_request._messages]
    assert not AccessLog.objects.filter(action=AccessLog.Action.RETURN_RECEIPT).exists()


def test_client_page_links_the_letter_and_then_the_return_receipt(coach_client, coach, loan):
    page = coach_client.get(loan.client.get_absolute_url()).content.decode()
    assert reverse("clients:loan_reminder_letter", args=[loan.pk]) in page
    _return(loan, coach)
    page = coach_client.get(loan.client.get_absolute_url()).content.decode()
    assert reverse("clients:return_receipt", args=[loan.pk]) in page
    assert reverse("clients:loan_reminder_letter", args=[loan.pk]) not in page


@pytest.fixture
def follow_up(batch, technician, coach, other_coach, monkeypatch):
    def loan(owner, due_in, name, phone):
        return make_loan(
            owner, make_ready_device(batch, technician), due_in=due_in, name=name, phone=phone
        )

    loans = {
        "overdue": loan(coach, 1, "Aino Myöhäinen", "040 111 2222"),
        "soon": loan(coach, 5, "Bertta Pian", "040 333 4444"),
        "later": loan(coach, 20, "Cecilia Myöhemmin", "040 555 6666"),
        "theirs": loan(other_coach, 3, "Daniel Toinen", "050 777 8888"),
    }
    move_calendar(monkeypatch, 2)
    return loans


def test_overdue_list_shows_due_soon_and_overdue_with_phone(
    coach_client, follow_up, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        page = coach_client.get(reverse("clients:overdue_loans")).content.decode()
    overdue_part, due_soon_part = page.split('class="loans-due-soon"')
    assert "Aino Myöhäinen" in overdue_part and "040 111 2222" in overdue_part
    assert "Bertta Pian" in due_soon_part and "040 333 4444" in due_soon_part
    assert "Bertta Pian" not in overdue_part
    assert "Cecilia" not in page and "Daniel" not in page
    for key in ("overdue", "soon"):
        assert reverse("clients:loan_reminder_letter", args=[follow_up[key].pk]) in page


def test_start_page_shows_due_soon_and_overdue_with_phone(coach_client, follow_up):
    page = coach_client.get(reverse("home")).content.decode()
    assert "Aino Myöhäinen" in page and "040 111 2222" in page and "myöhässä 1 pv" in page
    assert "Bertta Pian" in page and "040 333 4444" in page
    assert "Cecilia" not in page and "Daniel" not in page
    # The start page does not grow with the loans: one query for the rows.
    assert page.index("Aino Myöhäinen") < page.index("Bertta Pian")


def test_start_page_without_loans_to_follow_up_has_no_table(coach_client, coach):
    page = coach_client.get(reverse("home")).content.decode()
    assert "loan-follow-up" not in page


def test_due_soon_window_is_seven_days(coach, follow_up):
    from clients.loans import loans_due_soon

    today = timezone.localdate()
    due = [h.due_date for h in loans_due_soon(coach, today=today)]
    assert due and all(today <= d <= today + datetime.timedelta(days=7) for d in due)
