import pytest
from django.urls import reverse
from weasyprint import HTML

from devices import documents
from devices.models import Device
from kierratys.pdf import PDF_BASE_URL, StaticOnlyFetcher
from tests.factories import make_batch, make_device
from tests.support import pdf_barcodes, pdf_pages, pdf_text


@pytest.fixture
def batch(donor, technician):
    return make_batch(donor, technician, declared_count=25)


def _devices(batch, technician, count):
    models = ["ThinkPad T480", "EliteBook 840 G5", "Latitude 5490", "iPad 7"]
    return [make_device(batch, technician, model=models[n % len(models)]) for n in range(count)]


@pytest.mark.parametrize(("count", "pages"), [(1, 1), (24, 1), (25, 2)])
def test_sheet_has_24_labels_a_page(batch, technician, count, pages):
    pdf = documents.label_sheet_pdf(_devices(batch, technician, count))
    assert len(pdf_pages(pdf)) == pages


def test_every_label_decodes_to_its_exact_code_and_shows_its_facts(batch, technician, tmp_path):
    devices = _devices(batch, technician, 25)
    pdf = documents.label_sheet_pdf(devices)
    text = pdf_text(pdf)
    for device in devices:
        assert device.inventory_code in text
    assert "kannettava tietokone" in text and "EliteBook 840 G5" in text
    assert sorted(pdf_barcodes(pdf, tmp_path)) == sorted(d.inventory_code for d in devices)


def test_thermal_label_is_one_62mm_page_that_decodes(batch, technician, tmp_path):
    device = make_device(batch, technician, category=Device.Category.TABLET, model="iPad 7")
    pdf = documents.thermal_label_pdf(device)
    pages = pdf_pages(pdf)
    assert len(pages) == 1
    width_mm = float(pages[0].mediabox.width) * 25.4 / 72
    assert width_mm == pytest.approx(62, abs=0.5)
    assert "tabletti" in pdf_text(pdf)
    assert pdf_barcodes(pdf, tmp_path) == [device.inventory_code]


def test_a_model_name_cannot_make_the_pdf_read_local_files(batch, technician):
    hostile = '<img src="file:///etc/passwd"><style>@import url(file:///etc/passwd);</style>'
    device = make_device(batch, technician, model=hostile[:100])
    pdf = documents.label_sheet_pdf([device])
    page = pdf_pages(pdf)[0]
    # The one image is the sheet's barcodes, drawn by the code: the model's <img> is not.
    (image,) = [ref.get_object() for ref in page["/Resources"]["/XObject"].values()]
    assert image["/Width"] == documents.SHEET_PIXELS
    assert image["/Interpolate"].value is False  # printed as sharp bars, not smoothed
    assert "root:" not in pdf_text(pdf)
    assert "<img" in pdf_text(pdf)  # printed as text, not interpreted


class RecordingFetcher(StaticOnlyFetcher):
    def __init__(self):
        super().__init__()
        self.refused, self.served = [], []

    def fetch(self, url, headers=None):
        try:
            response = super().fetch(url, headers)
        except ValueError:
            self.refused.append(url)
            raise
        self.served.append(url)
        return response


def test_the_url_fetcher_serves_static_files_and_refuses_everything_else():
    html = (
        '<link rel="stylesheet" href="/static/pdf/labels.css">'
        '<img src="file:///etc/passwd"><img src="/static/../../etc/passwd">'
        '<div style="background: url(file:///etc/passwd)">x</div>'
        '<img src="http://169.254.169.254/latest/meta-data/">'
        '<img src="data:image/svg+xml;base64,PHN2Zy8+">'
    )
    fetcher = RecordingFetcher()
    pdf = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).write_pdf()
    assert fetcher.served == ["file:///static/pdf/labels.css"]
    assert any("etc/passwd" in url for url in fetcher.refused)
    assert any("169.254.169.254" in url for url in fetcher.refused)
    assert any(url.startswith("data:image/svg+xml") for url in fetcher.refused)
    assert not pdf_pages(pdf)[0]["/Resources"].get("/XObject")


def test_technician_prints_a_selection_a_batch_and_a_single_label(
    technician_client, batch, technician
):
    devices = _devices(batch, technician, 3)
    response = technician_client.post(
        reverse("devices:labels_sheet"),
        {"code": [devices[0].inventory_code, devices[2].inventory_code]},
    )
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert devices[0].inventory_code in text and devices[1].inventory_code not in text

    response = technician_client.get(reverse("devices:labels_sheet") + f"?batch={batch.reference}")
    assert all(device.inventory_code in pdf_text(response.content) for device in devices)

    response = technician_client.get(
        reverse("devices:label_single", kwargs={"code": devices[1].inventory_code})
    )
    assert devices[1].inventory_code in pdf_text(response.content)


def test_an_empty_selection_is_explained(technician_client):
    response = technician_client.post(reverse("devices:labels_sheet"), {}, follow=True)
    assert "Valitse ainakin yksi laite" in response.content.decode()


def test_donors_and_coaches_cannot_print_labels(client, donor_user, coach, batch, technician):
    device = make_device(batch, technician)
    for user in (donor_user, coach):
        client.force_login(user)
        url = reverse("devices:label_single", kwargs={"code": device.inventory_code})
        assert client.get(url).status_code == 403


def test_a_long_model_name_is_cut_short_on_the_sheet(batch, technician):
    device = make_device(batch, technician, model="ThinkPad X1 Carbon Gen 9 20XW-0055MX Business")
    text = pdf_text(documents.label_sheet_pdf([device]))
    assert "ThinkPad X1 Carbon" in text and "…" in text
    assert "Business" not in text
