"""`python -m bench` (`make bench`): seed a national-scale database, measure pages and
documents, load-test.

Never touches the development database: run on the default SQLite settings,
the benchmark starts itself again (`python -m bench`) on bench.sqlite3 in the
project folder. With DATABASE_URL set (e.g. PostgreSQL) it uses that database,
which must be empty or hold an earlier benchmark seed.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor_session import remember_enrolment
from bench import loadtest, measure, scales, seeding

CHILD_ENV = "KIERRATYS_BENCH_CHILD"
TINY_SCALE = 0.0005  # 50 devices, 10 clients: lists shorter than a page
FOREIGN_DATA = (
    "This database holds data that the benchmark did not create. Point DATABASE_URL at "
    "an empty database made for benchmarking (the benchmark would fill and empty it)."
)


class Command(BaseCommand):
    help = "Benchmark at national scale: seeding, page and document timings, a load test."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=None, help="one scale only; 1.0 = national (100k)"
        )
        parser.add_argument(
            "--scales",
            default=scales.DEFAULT_SCALES,
            help="measure each of these scales and the growth between them (default 0.1,1.0)",
        )
        parser.add_argument("--reseed", action="store_true", help="rebuild the seeded data")
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--repeat", type=int, default=20, help="requests per page")
        parser.add_argument("--document-repeat", type=int, default=5, help="renders per PDF")
        parser.add_argument("--json", dest="json_path", help="also write the figures here")
        parser.add_argument("--no-load", action="store_true", help="skip the gunicorn load test")
        parser.add_argument("--load-seconds", type=float, default=10.0)
        parser.add_argument(
            "--no-compare", action="store_true", help="skip the tiny-scale query-count run"
        )
        parser.add_argument("--seed-only", action="store_true", help="seed, then stop")

    def run_from_argv(self, argv):
        self._arguments = argv[2:]  # for starting again in its own process
        super().run_from_argv(argv)

    def handle(self, *args, **options):
        if self._called_from_command_line and self._needs_own_process():
            raise SystemExit(self._reexec())
        wanted = [options["scale"]] if options["scale"] is not None else None
        wanted = wanted or scales.parse(options["scales"])
        if len(wanted) > 1:
            return self._several_scales(options, wanted)
        options["scale"] = wanted[0]
        # Development settings serve static files from the finders; no STATIC_ROOT needed.
        warnings.filterwarnings("ignore", message="No directory at")
        call_command("migrate", verbosity=0, interactive=False)
        report = {"meta": self._meta(options)}
        report["seed"] = self._seed(options)
        if options["seed_only"]:
            return
        harness = measure.Harness(
            warmup=options["warmup"],
            repeat=options["repeat"],
            document_repeat=options["document_repeat"],
        )
        self.stderr.write("Measuring pages and documents...")
        harness.run(measure.find_fixtures())
        if not options["no_compare"]:
            tiny = self._tiny_queries()
            report["compare"] = tiny
            if tiny.get("queries"):
                harness.judge_queries(tiny["queries"], f"at scale {TINY_SCALE:g}")
        else:
            harness.judge_queries({}, "")
        report["figures"] = measure.as_dicts(harness.figures)
        if not options["no_load"]:
            self.stderr.write("Load test on gunicorn...")
            report["load_test"] = [result.as_dict() for result in self._load_test(options)]
        self._print(report)
        if options["json_path"]:
            Path(options["json_path"]).write_text(json.dumps(report, indent=2, default=str))
            self.stdout.write(f"JSON written to {options['json_path']}")

    def _several_scales(self, options, wanted):
        reports = scales.run(self, options, wanted, _database_url(), CHILD_ENV)
        self.stdout.write(
            f"\nBenchmark at scales {', '.join(f'{s:g}' for s in wanted)}: "
            f"{connection.vendor}, {os.cpu_count()} CPUs, "
            f"load average at the end {os.getloadavg()[0]:.1f}"
        )
        scales.print_table(self.stdout, reports, print_load_test, _ms)
        if options["json_path"]:
            rows, _measured = scales.growth_rows(reports)
            combined = {"scales": {f"{s:g}": r for s, r in reports.items()}, "growth": rows}
            Path(options["json_path"]).write_text(json.dumps(combined, indent=2, default=str))
            self.stdout.write(f"JSON written to {options['json_path']}")
        if any(report is None for report in reports.values()):
            raise CommandError("the benchmark failed at one of the scales")

    # -- where it runs ---------------------------------------------------------------

    def _needs_own_process(self):
        """The development database, or DEBUG on: start again on the bench database."""
        if os.environ.get(CHILD_ENV):
            return False
        return _is_development_db() or settings.DEBUG

    def _reexec(self):
        env = {**os.environ, CHILD_ENV: "1", "DEBUG": "false"}
        if _is_development_db():
            env["DATABASE_URL"] = f"sqlite:///{settings.BASE_DIR / 'bench.sqlite3'}"
            self.stderr.write(f"Benchmark database: {settings.BASE_DIR / 'bench.sqlite3'}")
        command = [sys.executable, "-m", "bench", *self._arguments]
        return subprocess.run(command, env=env, cwd=settings.BASE_DIR).returncode

    def _meta(self, options):
        db = settings.DATABASES["default"]
        return {
            "scale": options["scale"],
            "database": f"{connection.vendor} {db.get('NAME')}",
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "python": sys.version.split()[0],
            "repeat": options["repeat"],
            "warmup": options["warmup"],
            "document_repeat": options["document_repeat"],
        }

    # -- seeding ---------------------------------------------------------------------

    def _seed(self, options):
        counts = seeding.SeedCounts.for_scale(options["scale"])
        if seeding.holds_foreign_data():
            raise CommandError(FOREIGN_DATA)
        if not options["reseed"] and seeding.is_seeded(counts):
            self.stderr.write(f"Reusing the seeded database ({counts.devices} devices).")
            return {"reused": True, "counts": vars(counts)}
        if seeding.seeded_device_count() is not None:
            self.stderr.write("Emptying the earlier benchmark seed...")
            seeding.wipe()
        self.stderr.write(
            f"Seeding {counts.devices} devices, {counts.clients} clients, "
            f"{counts.handovers} handovers with their history..."
        )
        start, cpu_start = time.perf_counter(), time.process_time()
        result = seeding.seed(options["scale"])
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        if connection.vendor == "postgresql":
            # As autovacuum would after a bulk load: statistics and the visibility
            # map, so index-only scans need not visit every heap row. VACUUM cannot
            # run in a transaction (the command's own test runs inside one).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stderr.write(
            f"Seeded {sum(result.rows.values())} rows in {seconds:.1f} s "
            f"({cpu_seconds:.1f} s of CPU in this process)."
        )
        return {
            "reused": False,
            "seconds": seconds,
            "cpu_seconds": cpu_seconds,
            "counts": vars(counts),
            "rows": result.rows,
        }

    # -- query counts at a tiny scale -------------------------------------------------

    def _tiny_queries(self):
        """Run the measurements once on a tiny seed in its own database; key -> queries."""
        url, note = _tiny_database_url()
        self.stderr.write(f"Query counts at scale {TINY_SCALE:g} ({note})...")
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            command = [
                sys.executable, "-m", "bench",
                "--scale", str(TINY_SCALE), "--warmup", "1", "--repeat", "1",
                "--document-repeat", "1", "--no-load", "--no-compare", "--json", out.name,
            ]  # fmt: skip
            env = {**os.environ, CHILD_ENV: "1", "DEBUG": "false", "DATABASE_URL": url}
            done = subprocess.run(
                command, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
            )
            if done.returncode != 0:
                return {"error": done.stderr[-1000:], "database": note}
            figures = json.loads(Path(out.name).read_text())["figures"]
        queries = {f["key"]: f["queries"] for f in figures if f["queries"] is not None}
        return {"scale": TINY_SCALE, "database": note, "queries": queries}

    # -- load test --------------------------------------------------------------------

    def _load_test(self, options):
        user = get_user_model().objects.get(username=seeding.COORDINATOR_USERNAME)
        client = Client()
        client.force_login(user)
        # Production asks a coordinator for a second factor (REQUIRE_2FA): the session is
        # one that gave it, as a coordinator's working session has.
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        remember_enrolment(session, user, True)
        session.save()
        try:
            return loadtest.run(
                database_url=_database_url(),
                session_key=session.session_key,
                path=reverse("devices:device_list") + "?status=ready&category=laptop",
                seconds=options["load_seconds"],
            )
        finally:
            # A coordinator with a confirmed device is asked for its code on every new
            # session: left in place, the next run's pages would all answer 302.
            device.delete()

    # -- output -----------------------------------------------------------------------

    def _print(self, report):
        seed = report["seed"]
        meta = report["meta"]
        self.stdout.write(
            f"\nBenchmark: scale {meta['scale']:g}, {meta['database']}, {meta['cpus']} CPUs, "
            f"load average at start {meta['load_average'][0]:.1f}"
        )
        if seed.get("reused"):
            self.stdout.write("Seed: reused the seeded database")
        else:
            rows = sum(seed["rows"].values())
            self.stdout.write(
                f"Seed: {rows} rows in {seed['seconds']:.1f} s "
                f"({seed['cpu_seconds']:.1f} s CPU in the Python process)"
            )
        header = (
            f"{'figure':<42} {'median':>9} {'p95':>9} {'queries':>8} {'floor':>9} "
            f"{'ratio':>7}  {'target':<15} result"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        floors = {f["name"]: f for f in report["figures"] if f["kind"] == "floor"}
        for f in report["figures"]:
            if f["status"] != "ok":
                self.stdout.write(f"{f['name']:<42} {f['status'].upper():>9}  {f['note']}")
                continue
            floor = floors.get(f["floor"] or "")
            compare = ", ".join(f"{v} {k}" for k, v in f["compare_queries"].items())
            queries = f"{f['queries']}"
            result = {True: "PASS", False: "MISS", None: ""}[f["passed"]]
            self.stdout.write(
                f"{f['name']:<42} {_ms(f['median_ms']):>9} {_ms(f['p95_ms']):>9} {queries:>8} "
                f"{_ms(floor['median_ms']) if floor else '':>9} "
                f"{(format(f['ratio'], '.1f') + 'x') if f['ratio'] else '':>7}  "
                f"{f['target']:<15} {result}"
                + (f"  (queries elsewhere: {compare})" if compare else "")
                + (f"  [{f['note']}]" if f["kind"] == "document" and f["note"] else "")
            )
        print_load_test(self.stdout, report.get("load_test"))
        compare = report.get("compare")
        if compare and compare.get("error"):
            self.stdout.write(f"\nTiny-scale query run failed: {compare['error']}")
        judged = [f for f in report["figures"] if f["passed"] is not None]
        self.stdout.write(f"\n{sum(f['passed'] for f in judged)} of {len(judged)} targets met.")


def print_load_test(out, results):
    """One line per number of clients: requests, errors, p50 and p95."""
    for load in results or []:
        if load["status"] != "ok":
            out.write(f"\nLoad test, {load['concurrency']} clients: {load['status']}")
            continue
        out.write(
            f"Load test: {load['path']} with {load['concurrency']:>2} clients for "
            f"{load['seconds']:g} s on gunicorn ({load['workers']} workers): "
            f"{load['requests_per_second']:.1f} req/s, {load['requests']} requests, "
            f"{load['errors']} errors, p50 {_ms(load['median_ms'])}, "
            f"p95 {_ms(load['p95_ms'])} — {'PASS' if load['errors'] == 0 else 'MISS'}"
        )


def _ms(value):
    return "" if value is None else f"{value:.1f}ms" if value < 10_000 else f"{value / 1000:.1f}s"


def _is_development_db():
    db = settings.DATABASES["default"]
    return db["ENGINE"].endswith("sqlite3") and Path(str(db["NAME"])) == (
        settings.BASE_DIR / "db.sqlite3"
    )


def _database_url():
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def _tiny_database_url():
    """A sibling database for the tiny seed: bench-tiny.sqlite3, or <name>_tiny on PostgreSQL."""
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        tiny = f"{db['NAME']}_tiny"
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [tiny])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(tiny)}")
        return _database_url().rsplit("/", 1)[0] + f"/{tiny}", f"postgresql {tiny}"
    path = Path(str(db["NAME"])).with_name("bench-tiny.sqlite3")
    return f"sqlite:///{path}", f"sqlite {path}"
