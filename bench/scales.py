"""The benchmark at two scales in one run: is every page flat in the data's size?

Each scale has its own database, seeded once and reused (bench.seeding.is_seeded):
the largest scale the benchmark database itself (bench.sqlite3, or DATABASE_URL's),
every other one a sibling (bench-0.1.sqlite3 beside it; <name>_0_1 on PostgreSQL).
Each scale is measured by `python -m bench --scale S` in its own process, one after
the other, with its own floors; the table then shows each figure at both scales and
its growth (median at the largest scale / median at the smallest). The load test and
the tiny-scale query counts run with the largest scale only.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

from bench import measure

DEFAULT_SCALES = "0.1,1.0"


def parse(text):
    scales = sorted({float(part) for part in text.split(",") if part.strip()})
    if not scales or scales[0] <= 0:
        raise ValueError(f"scales must be positive numbers: {text!r}")
    return scales


def sibling_url(vendor, name, scale, base_url):
    """The URL of the sibling database of `scale` beside the benchmark's own `name`."""
    suffix = f"{scale:g}"
    if vendor == "postgresql":
        return base_url.rsplit("/", 1)[0] + f"/{name}_{suffix.replace('.', '_')}"
    path = Path(str(name))
    return f"sqlite:///{path.with_name(f'{path.stem}-{suffix}{path.suffix}')}"


def database_url(scale, largest, base_url):
    """The database of `scale`: the benchmark's own for the largest, else a sibling
    (on PostgreSQL created when missing)."""
    if scale == largest:
        return base_url
    url = sibling_url(connection.vendor, settings.DATABASES["default"]["NAME"], scale, base_url)
    if connection.vendor == "postgresql":
        name = url.rsplit("/", 1)[1]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    return url


def child_arguments(options, scale, largest, json_path):
    arguments = [
        "--scale", f"{scale:g}", "--json", json_path,
        "--warmup", str(options["warmup"]), "--repeat", str(options["repeat"]),
        "--document-repeat", str(options["document_repeat"]),
        "--load-seconds", str(options["load_seconds"]),
    ]  # fmt: skip
    if options["reseed"]:
        arguments.append("--reseed")
    if options["seed_only"]:
        arguments.append("--seed-only")
    if scale != largest or options["no_load"]:
        arguments.append("--no-load")
    if scale != largest or options["no_compare"]:
        arguments.append("--no-compare")
    return arguments


def run(command, options, scales, base_url, child_env):
    """Measure each scale in its own process; returns {scale: report} (None on failure)."""
    largest = scales[-1]
    reports = {}
    for scale in scales:
        url = database_url(scale, largest, base_url)
        command.stderr.write(f"\n== scale {scale:g}: {url}")
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            arguments = child_arguments(options, scale, largest, out.name)
            env = {**os.environ, child_env: "1", "DEBUG": "false", "DATABASE_URL": url}
            done = subprocess.run(
                [sys.executable, "-m", "bench", *arguments],
                env=env,
                cwd=settings.BASE_DIR,
                stdout=subprocess.PIPE,
                text=True,
            )  # stderr (the progress) goes through to the terminal
            if done.returncode != 0:
                command.stderr.write(done.stdout[-3000:])
                reports[scale] = None
                continue
            text = Path(out.name).read_text()
            reports[scale] = json.loads(text) if text else {"seed": {}}
    return reports


def growth_rows(reports):
    """Each figure at the smallest and the largest scale, with its growth and verdict."""
    scales = sorted(s for s, r in reports.items() if r and r.get("figures"))
    if not scales:
        return [], scales
    small, large = scales[0], scales[-1]
    at_small = {f["key"]: f for f in reports[small]["figures"]}
    rows = []
    for figure in reports[large]["figures"]:
        other = at_small.get(figure["key"])
        growth = raw_growth = None
        if other and other["median_ms"] and figure["median_ms"]:
            raw_growth = figure["median_ms"] / other["median_ms"]
        # Judged by its ratio to the floor at each scale: the scales are measured one after
        # the other, and the machine's speed between them moved a constant page by up to half
        # (the trivial view's own "growth"), while the floor's work does not grow with data.
        growth = raw_growth
        if other and other.get("ratio") and figure.get("ratio"):
            growth = figure["ratio"] / other["ratio"]
        passed = figure["passed"]
        targets = [figure["target"]] if figure["target"] else []
        if figure["kind"] == "page" and len(scales) > 1:
            targets.append(f"growth <= {measure.GROWTH_LIMIT:g}x")
            flat = growth is not None and growth <= measure.GROWTH_LIMIT
            same_queries = other is not None and other["queries"] == figure["queries"]
            passed = bool(passed) and flat and same_queries
        rows.append({
            "key": figure["key"], "name": figure["name"], "kind": figure["kind"],
            "status": figure["status"], "note": figure["note"],
            "small_ms": other["median_ms"] if other else None,
            "large_ms": figure["median_ms"], "p95_ms": figure["p95_ms"],
            "small_queries": other["queries"] if other else None,
            "queries": figure["queries"], "growth": growth, "raw_growth": raw_growth,
            "ratio": figure["ratio"],
            "floor": figure["floor"], "target": ", ".join(targets), "passed": passed,
        })  # fmt: skip
    return rows, scales


def print_table(out, reports, print_load_test, ms):
    """The two-scale table, the seeds, the load test and the count of targets met."""
    for scale, report in sorted(reports.items()):
        if report is None:
            out.write(f"Scale {scale:g}: the run failed (see above).")
            continue
        seed, meta = report.get("seed", {}), report.get("meta", {})
        where = meta.get("database", "")
        if seed.get("reused"):
            out.write(f"Scale {scale:g} ({where}): reused the seeded database")
        elif seed:
            out.write(
                f"Scale {scale:g} ({where}): seeded {sum(seed['rows'].values())} rows in "
                f"{seed['seconds']:.1f} s ({seed['cpu_seconds']:.1f} s CPU in Python)"
            )
    rows, scales = growth_rows(reports)
    if not rows:
        return
    small, large = f"@{scales[0]:g}", f"@{scales[-1]:g}"
    header = (
        f"{'figure':<44} {'ms' + small:>9} {'ms' + large:>9} {'growth':>7} {'queries':>8} "
        f"{'x floor':>8}  {'target':<30} result"
    )
    out.write("")
    out.write(header)
    out.write("-" * len(header))
    for row in rows:
        if row["status"] != "ok":
            out.write(f"{row['name']:<44} {row['status'].upper():>9}  {row['note']}")
            continue
        queries = f"{row['queries']}"
        if row["small_queries"] is not None and row["small_queries"] != row["queries"]:
            queries = f"{row['small_queries']}/{row['queries']}"
        growth = f"{row['growth']:.2f}x" if row["growth"] else ""
        ratio = f"{row['ratio']:.2f}x" if row["ratio"] else ""
        result = {True: "PASS", False: "MISS", None: ""}[row["passed"]]
        out.write(
            f"{row['name']:<44} {ms(row['small_ms']):>9} {ms(row['large_ms']):>9} {growth:>7} "
            f"{queries:>8} {ratio:>8}  {row['target']:<30} {result}"
        )
    out.write(
        "\nx floor: the median at the largest scale over its floor's median, the floor timed "
        "before each of its samples (pages: the trivial view; documents: the one-page tagged "
        "PDF). growth: x floor at the largest scale over x floor at the smallest (the "
        "medians' own ratio where a figure has no floor)."
    )
    load = (reports.get(scales[-1]) or {}).get("load_test")
    if load:
        out.write("")
        print_load_test(out, load)
    judged = [row for row in rows if row["passed"] is not None]
    load_ok = sum(1 for result in load or [] if result["status"] == "ok" and not result["errors"])
    out.write(
        f"\n{sum(row['passed'] for row in judged) + load_ok} of {len(judged) + len(load or [])} "
        "targets met."
    )
