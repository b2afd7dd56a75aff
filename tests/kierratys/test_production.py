"""Production mode: `check --deploy` is clean, whitenoise serves hashed static files for a year,
the PDFs find their stylesheets under the hashed names.

Each check runs in a subprocess with DJANGO_ENV=production, because the settings
read the mode once at import; static files are collected into a temporary folder.
"""

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings

# Runs in the production-mode subprocess: requests through the whole middleware stack.
PROBE = textwrap.dedent(
    """
    import json, re
    import django
    django.setup()
    from django.test import Client

    client = Client()
    login = client.get("/accounts/login/", secure=True)
    css = re.search(r'href="(/static/css/app\\.[0-9a-f]{12}\\.css)"', login.text).group(1)
    hashed = client.get(css, secure=True)
    plain = client.get("/static/css/app.css", secure=True)
    insecure = client.get("/accounts/login/")
    print(json.dumps({
        "login_status": login.status_code,
        "login_headers": dict(login.headers),
        "csrf_cookie_secure": bool(login.cookies["csrftoken"]["secure"]),
        "css": css,
        "hashed_status": hashed.status_code,
        "hashed_cache": hashed.headers.get("Cache-Control", ""),
        "hashed_body": b"".join(hashed.streaming_content).decode()[:200],
        "plain_cache": plain.headers.get("Cache-Control", ""),
        "insecure_status": insecure.status_code,
        "insecure_location": insecure.headers.get("Location", ""),
    }))
    """
)


@pytest.fixture
def production_env(tmp_path):
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "production-test-" + "k3y-" * 12,
        "ALLOWED_HOSTS": "testserver,kierratys.example.fi",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SETTINGS_MODULE": "kierratys.settings",
        "PYTHONPATH": str(settings.BASE_DIR),
    }


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_in_production_mode(production_env):
    done = _manage(production_env, "check", "--deploy", "--fail-level", "WARNING")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_whitenoise_serves_hashed_static_files_with_far_future_caching(production_env):
    collected = _manage(production_env, "collectstatic", "--noinput", "--verbosity", "0")
    assert collected.returncode == 0, collected.stderr

    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=production_env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    result = json.loads(probe.stdout.strip().splitlines()[-1])

    assert result["login_status"] == 200
    assert result["hashed_status"] == 200
    assert "immutable" in result["hashed_cache"]
    assert "max-age=315360000" in result["hashed_cache"]
    assert ":root" in result["hashed_body"]  # the stylesheet itself, not an error page
    assert "immutable" not in result["plain_cache"]
    headers = result["login_headers"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert result["csrf_cookie_secure"]
    # Plain HTTP is sent to HTTPS (behind the proxy, X-Forwarded-Proto says which it was).
    assert result["insecure_status"] == 301
    assert result["insecure_location"].startswith("https://")


# Runs in the production-mode subprocess: the PDF templates link their stylesheets
# with {% static %}, which now names the collected, hashed copy.
PDF_PROBE = textwrap.dedent(
    """
    import json
    import django
    django.setup()
    from django.template.loader import render_to_string
    from weasyprint import HTML
    from kierratys import pdf

    served, refused = [], []

    class RecordingFetcher(pdf.StaticOnlyFetcher):
        def fetch(self, url, headers=None):
            try:
                response = super().fetch(url, headers)
            except ValueError as error:
                refused.append(str(error))
                raise
            served.append(url)
            return response

    for template in ["documents/base_pdf.html", "devices/labels_sheet.html"]:
        html = render_to_string(template, {"pages": []})
        HTML(string=html, base_url=pdf.PDF_BASE_URL, url_fetcher=RecordingFetcher()).write_pdf()
    print(json.dumps({"served": served, "refused": refused}))
    """
)


def test_pdf_stylesheets_load_from_the_collected_static_files(production_env):
    collected = _manage(production_env, "collectstatic", "--noinput", "--verbosity", "0")
    assert collected.returncode == 0, collected.stderr

    probe = subprocess.run(
        [sys.executable, "-c", PDF_PROBE],
        env=production_env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    result = json.loads(probe.stdout.strip().splitlines()[-1])

    assert result["refused"] == []
    assert [url.rsplit("/", 1)[-1].split(".")[0] for url in result["served"]] == [
        "document",
        "labels",
    ]
    assert all(re.search(r"\.[0-9a-f]{12}\.css$", url) for url in result["served"])
