"""Every change reason a service writes reads in the user's language on the timelines,
and the timelines name people, not user names."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from clients.models import Handover
from clients.timelines import REASON_LABELS, client_timeline
from devices.timelines import device_timeline
from kierratys.timeline import reason_text

# A line that writes a change reason, and the string literals on it (not a dict key).
WRITES_REASON = re.compile(
    r'(\b_change_reason\s*=|\breason=|\bdefault_change_reason=|\b[A-Z_]*REASON\s*=\s*f?")'
)
LITERAL = re.compile(r'(?<!\[)(?:\bf)?"([^"]*)"(?!\])')


def _reasons_in_source():
    """Reason codes written in the devices and clients apps: "disposed: {x}" -> "disposed"."""
    found = {}
    for app in ("devices", "clients"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "demo.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if not WRITES_REASON.search(line):
                    continue
                for literal in LITERAL.findall(line):
                    code = literal.split("{")[0].removesuffix(": ").strip()
                    if code:
                        found.setdefault(code, f"{path.name}:{number}")
    return found


def test_every_reason_written_in_the_code_has_a_label():
    found = _reasons_in_source()
    # The scan finds what it should; if these vanish, the pattern no longer matches the code.
    assert {"intake", "erasure passed", "reserved", "loan returned", "disposed"} <= set(found)
    missing = {code: where for code, where in found.items() if code not in REASON_LABELS}
    assert missing == {}


def test_every_reason_recorded_by_a_run_of_the_whole_demo_reads_as_a_label(db):
    call_command("seed_demo")
    recorded = set()
    for model in apps.get_models():
        if model._meta.app_label in ("devices", "clients") and hasattr(
            model, "history_change_reason"
        ):
            recorded |= set(
                model.objects.exclude(history_change_reason=None)
                .exclude(history_change_reason="")
                .values_list("history_change_reason", flat=True)
            )
    assert {"intake", "erasure passed", "gift", "loan"} <= recorded
    unlabelled = {reason for reason in recorded if reason_text(reason, REASON_LABELS) == reason}
    assert unlabelled == set()


def test_timelines_show_full_names_and_finnish_reasons(db):
    call_command("seed_demo")
    handover = Handover.objects.filter(kind=Handover.Kind.LOAN).select_related("device").first()
    device_entries = device_timeline(handover.device)
    client_entries = client_timeline(handover.client)
    texts = [str(entry) for entry in device_entries + client_entries]
    assert any("luovutettu lainaksi" in text for text in texts)
    assert all("demo data" not in text for text in texts)
    assert {entry.user for entry in device_entries} >= {"Teemu Teknikko"}
    handover_change = next(
        entry for entry in client_entries if entry.model == "luovutus" and entry.kind == "changed"
    )
    handed_over_by = next(c for c in handover_change.changes if c.field == "handed_over_by")
    assert handed_over_by.new == handover.handed_over_by.get_full_name()
