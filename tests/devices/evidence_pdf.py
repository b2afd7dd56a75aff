"""nwipe-like PDF reports made with WeasyPrint for the evidence tests: page 1 of a "Disk Erasure
Report" with nwipe's field labels (src/create_single_disc_pdf.c), two fields a line as nwipe
draws them, so that pypdf's text path is what the tests exercise."""

from django.utils.html import escape
from weasyprint import HTML

DISC_DEFAULTS = {
    "model": "Samsung SSD 870 EVO 500GB",
    "serial": "S62ANJ0R123456X",
    "bus": "ATA",
    "size": "500 GB",
    "start": "2026/11/30 08:10:00",
    "end": "2026/11/30 09:02:41",
    "status": "ERASED",
    "method": "PRNG Stream",
    "verify": "Last",
    "hpa": "Disabled",
    "errors": "0/0/0/0",
    "information": "",
    "system_serial": "PF1EVIDPDF",
}


def disc_report_pdf(**values):
    v = {key: escape(value) for key, value in (DISC_DEFAULTS | values).items()}
    html = f"""<html><body style="font-family: sans-serif; font-size: 10pt">
<p>Disk Erasure Report - Page 1 of 2</p>
<p>Disk Model: {v["model"]}</p><p>Disk S/N: {v["serial"]}</p><p>System S/N: {v["system_serial"]}</p>
<h2>Organisation Performing The Disk Erasure</h2>
<p>Business Name: Digikierrättämö</p>
<h2>Disk Information</h2>
<p>Make/Model: {v["model"]}&nbsp;&nbsp;&nbsp; Serial: {v["serial"]}</p>
<p>Bus: {v["bus"]}&nbsp;&nbsp;&nbsp; Size(Apparent): {v["size"]}</p>
<p>Size(Real): {v["size"]}</p>
<h2>Disk Erasure Details</h2>
<p>Start time: {v["start"]}&nbsp;&nbsp;&nbsp; End time: {v["end"]}</p>
<p>Duration: 00:52:41&nbsp;&nbsp;&nbsp; Status: {v["status"]}</p>
<p>Method: {v["method"]}&nbsp;&nbsp;&nbsp; PRNG algorithm: Isaac64</p>
<p>Final Pass: None&nbsp;&nbsp;&nbsp; Verify Pass: {v["verify"]}</p>
<p>Rounds(completed/requested): 1/1&nbsp;&nbsp;&nbsp; HPA/DCO: {v["hpa"]}</p>
<p>Errors(pass/sync/verify/retries): {v["errors"]}</p>
<p>Information: {v["information"]}</p>
<h2>Technician/Operator ID</h2>
<p>Name/ID: Teemu</p>
</body></html>"""
    return HTML(string=html).write_pdf()
