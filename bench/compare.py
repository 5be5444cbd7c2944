#!/usr/bin/env python3
"""preflight side by side with what users run instead: pg_isready,
redis-cli, curl, a bash script of the three, wait-for-it and wait-on.
Prints one markdown table per scenario; see bench/README.md."""

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from late_dependency import LateDependency  # noqa: E402
from measure import interleaved, run  # noqa: E402
from services import DB_PASSWORD, REDIS_PASSWORD, Services, postgres_bin  # noqa: E402
from protocol_servers import AMQP_PASSWORD, AMQP_USER, MYSQL_PASSWORD, MYSQL_USER, ProtocolServers  # noqa: E402

DEFAULT_NOFILE = 1024  # the usual default soft limit (ulimit -n)
# Each probe's wall time over its native client's, per shipped build (issue
# 32's targets; the dynamic build is timed too, but no longer shipped).
PROBE_RATIO_LIMITS = {"fully-static": 0.7}
# The build given as --preflight (bench/run.sh: the fully static one, which
# the image ships): issue 32's "hold what is met".
MAIN_LIMITS = {"version": 1.2, "rss": 7}


def http_get(url):
    """wait-on sends HEAD for http://; http-get:// makes it send the GET the others send."""
    return "http-get" + url[len("http"):]


def wait_on_version(wait_on):
    package = os.path.join(os.path.dirname(os.path.realpath(wait_on)), "..", "package.json")
    try:
        with open(package) as f:
            return json.load(f)["version"]
    except (OSError, KeyError, ValueError):
        return "?"


def fmt_ms(v):
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


class Table:
    def __init__(self, title, columns):
        self.title, self.columns, self.rows = title, columns, []

    def add(self, *cells):
        self.rows.append([str(c) for c in cells])

    def print(self):
        print(f"\n### {self.title}\n")
        print("| " + " | ".join(self.columns) + " |")
        numeric = ["ms" in c or "MiB" in c or c in ("n", "exit", "max", "min", "measured", "limit") or "÷" in c
                   for c in self.columns]
        print("| " + " | ".join("---:" if right else "---" for right in numeric) + " |")
        for row in self.rows:
            print("| " + " | ".join(row) + " |")
        sys.stdout.flush()


def peak_rss(commands, runs=3):
    """label → the largest peak RSS (MiB) of a few runs under GNU time, apart from the timed runs."""
    return {label: max(run(argv, peak_rss=True).maxrss_kib for _ in range(runs)) / 1024
            for label, argv in commands.items()}


def stats(values):
    values = sorted(values)
    mid = values[len(values) // 2] if len(values) % 2 else (values[len(values) // 2 - 1] + values[len(values) // 2]) / 2
    return mid, values[0], values[-1]


class Bench:
    def __init__(self, args, services):
        self.a = args
        self.pf = args.preflight
        self.pg_isready = f"{postgres_bin()}/pg_isready"
        self.work = services.work
        self.ports = services.ports
        self.summary = []  # (target, measured, limit) for the closing table
        # The other builds (--flavour NAME=PATH), timed beside the first.
        self.flavours = dict(f.split("=", 1) for f in args.flavour)
        self.name = args.preflight_name

    def shipped_flavours(self):
        """The other builds held to the static flavours' targets (the dynamic build is not shipped)."""
        return [name for name in self.flavours if name != "dynamic"]

    def config(self, name, phases):
        path = os.path.join(self.work, name + ".json")
        with open(path, "w") as f:
            json.dump({"phases": phases}, f)
        return path

    def script(self, name, text):
        path = os.path.join(self.work, name)
        with open(path, "w") as f:
            f.write("#!/bin/bash\n" + text + "\n")
        os.chmod(path, 0o755)
        return path

    def urls(self):
        p = self.ports
        return {
            "postgres": f"postgres://postgres:{DB_PASSWORD}@127.0.0.1:{p['postgres']}/postgres",
            "redis": f"redis://:{REDIS_PASSWORD}@127.0.0.1:{p['redis']}/0",
            "http": f"http://127.0.0.1:{p['health']}/health",
        }

    # 1 and 5: the healthy path, and start-up and footprint ------------------
    def healthy(self):
        u, p = self.urls(), self.ports
        cfg = self.config("healthy", [{"name": "ready", "timeout": "5s", "checks": [
            {"name": "postgres", "type": "postgres", "url": u["postgres"]},
            {"name": "redis", "type": "redis", "url": u["redis"]},
            {"name": "http", "type": "http", "url": u["http"], "expect": {"status": [200]}}]}])
        def native_clients(name, pg_isready):
            return self.script(name, (
                f"{pg_isready} -q -h 127.0.0.1 -p {p['postgres']} &&\n"
                f"REDISCLI_AUTH={REDIS_PASSWORD} redis-cli -h 127.0.0.1 -p {p['redis']} ping | grep -q PONG &&\n"
                f"curl -fsS -o /dev/null {u['http']}"))
        commands = {
            "preflight (postgres login + SELECT 1, redis AUTH + PING, http GET)": [self.pf, "-q", "-c", cfg],
            "bash script: pg_isready && redis-cli ping && curl": [native_clients("clients.sh", self.pg_isready)],
            "the same script, pg_isready from PATH (Debian's pg_wrapper)": [native_clients("clients-path.sh",
                                                                                          "pg_isready")],
            "pg_isready alone (the binary)": [self.pg_isready, "-q", "-h", "127.0.0.1", "-p", str(p["postgres"])],
            "pg_isready alone (Debian's pg_wrapper on PATH)": ["pg_isready", "-q", "-h", "127.0.0.1", "-p",
                                                               str(p["postgres"])],
            "psql -c 'SELECT 1' alone (login + query, as preflight does)": [
                f"{postgres_bin()}/psql", "-h", "127.0.0.1", "-p", str(p["postgres"]), "-U", "postgres",
                "-d", "postgres", "-tAqc", "SELECT 1"],
            "redis-cli ping": ["redis-cli", "-h", "127.0.0.1", "-p", str(p["redis"]), "-a", REDIS_PASSWORD,
                               "--no-auth-warning", "ping"],
            "curl": ["curl", "-fsS", "-o", "/dev/null", u["http"]],
            "wait-on tcp:postgres tcp:redis http-get": [self.a.wait_on, f"tcp:127.0.0.1:{p['postgres']}",
                                                        f"tcp:127.0.0.1:{p['redis']}", http_get(u["http"])],
            "wait-for-it postgres (TCP only)": ["wait-for-it", "-q", f"127.0.0.1:{p['postgres']}", "-t", "5"],
        }
        for name, path in self.flavours.items():
            commands[f"preflight, {name} build (the same three checks)"] = [path, "-q", "-c", cfg]
        os.environ["PGPASSWORD"] = DB_PASSWORD  # for psql; the others ignore it
        results = interleaved(commands, self.a.rounds)
        rss = peak_rss(commands)
        pf_label = next(iter(commands))
        for label, runs in results.items():
            bad = [r.rc for r in runs if r.rc != 0]
            if bad:
                raise RuntimeError(f"{label}: exit {bad[0]} on a healthy path")
        med = {label: stats([r.wall_ms for r in runs])[0] for label, runs in results.items()}
        t = Table("1. Healthy path: PostgreSQL + Redis + HTTP all up (wall, spawn to exit)",
                  ["command", "median ms", "min", "max", "peak RSS MiB", "preflight ÷ this"])
        for label, runs in results.items():
            m, lo, hi = stats([r.wall_ms for r in runs])
            t.add(label, fmt_ms(m), fmt_ms(lo), fmt_ms(hi), f"{rss[label]:.1f}",
                  "—" if label == pf_label else f"{med[pf_label] / m:.2f}")
        t.print()
        labels = list(commands)
        n = self.name
        self.summary.append((f"{n}: healthy ≤ 0.5 × bash script (pg_isready binary)", med[pf_label] / med[labels[1]], 0.5))
        self.summary.append((f"{n}: healthy ≤ 0.5 × bash script (pg_isready from PATH)", med[pf_label] / med[labels[2]],
                             0.5))
        self.summary.append((f"{n}: healthy ≤ 1.3 × pg_isready (binary)", med[pf_label] / med[labels[3]], 1.3))
        self.summary.append((f"{n}: healthy ≤ 1.0 × psql SELECT 1 (the job of its postgres check)",
                             med[pf_label] / med[labels[5]], 1.0))
        self.summary.append((f"{n}: peak RSS, three-check healthy path (MiB)", rss[pf_label], MAIN_LIMITS["rss"]))
        # Issue 14's targets for the static builds.
        for name in self.shipped_flavours():
            label = f"preflight, {name} build (the same three checks)"
            self.summary.append((f"{name}: healthy ≤ 0.5 × bash script (pg_isready binary)", med[label] / med[labels[1]],
                                 0.5))
            self.summary.append((f"{name}: healthy ≤ 1.0 × psql SELECT 1", med[label] / med[labels[5]], 1.0))
            self.summary.append((f"{name}: peak RSS, three-check healthy path (MiB)", rss[label], 8))

    # 7: each probe beside the native client doing the same job -------------
    def probes(self):
        servers = ProtocolServers(self.a.grpc_server)
        try:
            servers.start()
            self._probe_table(servers)
        finally:
            servers.stop()

    def _probe_table(self, servers):
        u, p, q = self.urls(), self.ports, servers.ports
        os.environ["PGPASSWORD"] = DB_PASSWORD
        rows = [  # probe, check, native client (label, argv) or None with the reason
            ("postgres", {"type": "postgres", "url": u["postgres"]},
             ("psql -c 'SELECT 1'", [f"{postgres_bin()}/psql", "-h", "127.0.0.1", "-p", str(p["postgres"]), "-U", "postgres",
                                     "-d", "postgres", "-tAqc", "SELECT 1"])),
            ("redis", {"type": "redis", "url": u["redis"]},
             ("redis-cli ping", ["redis-cli", "-h", "127.0.0.1", "-p", str(p["redis"]), "-a", REDIS_PASSWORD,
                                 "--no-auth-warning", "ping"])),
            ("http", {"type": "http", "url": u["http"]}, ("curl", ["curl", "-fsS", "-o", "/dev/null", u["http"]])),
        ]
        if "mysql" in q:
            rows.append(("mysql", {"type": "mysql", "url": f"mysql://{MYSQL_USER}:{MYSQL_PASSWORD}@127.0.0.1:{q['mysql']}/"},
                         ("mariadb -e 'SELECT 1'", ["mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", str(q["mysql"]),
                                                    f"-u{MYSQL_USER}", f"-p{MYSQL_PASSWORD}", "-e", "SELECT 1"])))
        if "amqp" in q:
            url = f"amqp://{AMQP_USER}:{AMQP_PASSWORD}@127.0.0.1:{q['amqp']}"  # no path: the vhost "/" for both
            native = (("amqp091-go, connect only", [self.a.amqp_client, url]) if self.a.amqp_client else
                      ("amqp-declare-queue (also declares a queue)", ["amqp-declare-queue", f"--url={url}", "-q", "bench"]))
            rows.append(("amqp", {"type": "amqp", "url": url}, native))
        if "nats" in q:
            url = f"nats://127.0.0.1:{q['nats']}"
            native = (("nats.go, connect + PING", [self.a.nats_client, url]) if self.a.nats_client else
                      (None, "no NATS client given (--nats-client)"))
            rows.append(("nats", {"type": "nats", "url": url}, native))
        if "memcached" in q:
            rows.append(("memcached", {"type": "memcached", "url": f"memcached://127.0.0.1:{q['memcached']}"},
                         ("memcping", ["memcping", f"--servers=127.0.0.1:{q['memcached']}"])))
        if "grpc" in q:
            rows.append(("grpc", {"type": "grpc", "url": f"grpc://127.0.0.1:{q['grpc']}"},
                         ("grpc_health_check (libgrpc++)", [self.a.grpc_client, f"127.0.0.1:{q['grpc']}"])))
        if "dns" in q:
            rows.append(("dns", {"type": "dns", "url": f"dns://127.0.0.1:{q['dns']}/web.test"},
                         ("dig", ["dig", "+short", "-p", str(q["dns"]), "@127.0.0.1", "web.test"])))
        if shutil.which("nc"):
            rows.append(("tcp", {"type": "tcp", "url": f"tcp://127.0.0.1:{p['redis']}"},
                         ("nc -z (netcat-openbsd)", ["nc", "-z", "127.0.0.1", str(p["redis"])])))
        builds = {self.name: self.pf, **self.flavours}
        columns = ["probe", "native client", "native median ms"]
        for build in builds:
            columns += [f"{build} median ms", f"{build} ÷ native"]
        t = Table("7. Each probe's healthy path beside its native client (wall, spawn to exit, median)", columns)
        for name, check, (native_label, native) in rows:
            cfg = self.config(f"probe-{name}", [{"name": "p", "timeout": "5s", "checks": [dict(check, name=name)]}])
            commands = {build: [path, "-q", "--once", "-c", cfg] for build, path in builds.items()}
            if native_label:
                commands[native_label] = native
            results = interleaved(commands, self.a.rounds)
            for label, runs in results.items():
                bad = [r.rc for r in runs if r.rc != 0]
                if bad:
                    raise RuntimeError(f"{name}: {label}: exit {bad[0]} on a healthy path")
            med = {label: stats([r.wall_ms for r in runs])[0] for label, runs in results.items()}
            cells = [name, native_label or native, fmt_ms(med[native_label]) if native_label else "—"]
            for build in builds:
                ratio = med[build] / med[native_label] if native_label else None
                cells += [fmt_ms(med[build]), f"{ratio:.2f}" if ratio else "—"]
                if ratio and build in PROBE_RATIO_LIMITS:
                    self.summary.append((f"{build}: {name} ÷ {native_label}", ratio, PROBE_RATIO_LIMITS[build]))
            if name == "tcp" and "fully-static" in builds:
                self.summary.append(("fully-static: one tcp check (ms)", med["fully-static"], 1.6))
            t.add(*cells)
        for name, why in servers.missing.items():
            t.add(name, why, *["—"] * (len(columns) - 2))
        t.print()

    def startup(self):
        commands = {
            "preflight --version": [self.pf, "--version"],
            "pg_isready --version (binary)": [self.pg_isready, "--version"],
            "redis-cli --version": ["redis-cli", "--version"],
            "curl --version": ["curl", "--version"],
            "/bin/true (the floor: fork + exec)": ["/bin/true"],
        }
        for name, path in self.flavours.items():
            commands[f"preflight --version, {name} build"] = [path, "--version"]
        results = interleaved(commands, self.a.rounds * 2)
        rss = peak_rss(commands)
        t = Table("5. Start-up: print the version and exit", ["command", "median ms", "min", "max", "peak RSS MiB"])
        for label, runs in results.items():
            m, lo, hi = stats([r.wall_ms for r in runs])
            t.add(label, fmt_ms(m), fmt_ms(lo), fmt_ms(hi), f"{rss[label]:.1f}")
        t.print()
        self.summary.append((f"{self.name}: --version (ms)", stats([r.wall_ms for r in results["preflight --version"]])[0],
                             MAIN_LIMITS["version"]))
        for name in self.shipped_flavours():
            label = f"preflight --version, {name} build"
            self.summary.append((f"{name}: --version (ms)", stats([r.wall_ms for r in results[label]])[0], 2))
        if shutil.which("hyperfine"):
            # A second opinion on the same commands, from another harness.
            out = os.path.join(self.work, "hyperfine.json")
            subprocess.run(["hyperfine", "-N", "--warmup", "5", "--runs", str(self.a.rounds * 2), "--export-json", out]
                           + [" ".join(argv) for argv in commands.values()],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with open(out) as f:
                hf = json.load(f)["results"]
            t = Table("5b. The same, timed by hyperfine -N", ["command", "median ms", "min", "max"])
            for label, r in zip(commands, hf):
                t.add(label, fmt_ms(r["median"] * 1000), fmt_ms(r["min"] * 1000), fmt_ms(r["max"] * 1000))
            t.print()

    # 2: detection latency ---------------------------------------------------
    def detection(self):
        def preflight(kind):
            def argv(port):
                url = f"http://127.0.0.1:{port}/health" if kind == "http" else f"tcp://127.0.0.1:{port}"
                cfg = self.config(f"late-{kind}-{port}", [{"name": "wait", "timeout": "10s", "checks": [
                    {"name": "dep", "type": kind, "url": url}]}])
                return [self.pf, "-q", "-o", "json", "-c", cfg]
            return argv
        tools = {
            "preflight, http check": preflight("http"),
            "preflight, tcp check": preflight("tcp"),
            "wait-on http-get (default interval 250 ms)": lambda port: [self.a.wait_on, "-t", "10000",
                                                                        f"http-get://127.0.0.1:{port}/health"],
            "wait-for-it (TCP, polls every 1 s)": lambda port: ["wait-for-it", "-q", f"127.0.0.1:{port}", "-t", "10"],
        }
        rng = random.Random(self.a.seed)
        latencies = {label: [] for label in tools}
        rates = {label: [] for label in tools}
        for _ in range(self.a.trials):
            for label, argv in tools.items():
                dep = LateDependency()
                try:
                    delay = rng.uniform(0.3, 0.8)
                    timer = threading.Timer(delay, dep.start)
                    timer.start()
                    r = run(argv(dep.port), capture=label.startswith("preflight"), timeout_s=20)
                    timer.join()
                finally:
                    dep.stop()
                if r.rc != 0:
                    raise RuntimeError(f"{label}: exit {r.rc} after the dependency came up")
                latencies[label].append((r.exited_at - dep.accepting_at) * 1000)
                if label.startswith("preflight"):
                    check = json.loads(r.stdout)["phases"][0]["checks"][0]
                    rates[label].append(check["attempts"] / (check["elapsed_ms"] / 1000))
        t = Table("2. Detection latency: the dependency starts listening 0.3–0.8 s after the tool; "
                  "time from listen() to the tool's exit",
                  ["tool", "median ms", "min", "max", "n", "attempts / s (preflight's report)"])
        for label in tools:
            m, lo, hi = stats(latencies[label])
            rate = f"{stats(rates[label])[0]:.0f} (max {max(rates[label]):.0f})" if rates[label] else "—"
            t.add(label, fmt_ms(m), fmt_ms(lo), fmt_ms(hi), len(latencies[label]), rate)
        t.print()
        self.summary.append(("detection latency, http check (ms)", stats(latencies["preflight, http check"])[0], 15))
        self.summary.append(("attempts per second per check, worst run",
                             max(rates["preflight, http check"] + rates["preflight, tcp check"]), 50))

    # 3: give-up precision ---------------------------------------------------
    def give_up(self):
        p = self.ports
        faults = {
            "blackhole (SYN never answered)": ("blackhole", "redis://127.0.0.1:{}", "tcp"),
            "silent server (accepts, never replies)": ("silent", "redis://127.0.0.1:{}", "tcp"),
            "stalled TLS handshake": ("silent", "rediss://127.0.0.1:{}", "tcp"),
            "trickling reply (1 byte / 200 ms)": ("trickle", "redis://127.0.0.1:{}", "tcp"),
            "silent PostgreSQL": ("silent", "postgres://u:p@127.0.0.1:{}/db", "pg"),
            "silent HTTP": ("silent", "http://127.0.0.1:{}/health", "http"),
        }
        t = Table("3. Give-up precision: asked to give up after 2 s (wall, spawn to exit)",
                  ["fault", "tool", "median ms", "min", "max", "phase past its deadline, ms (own report)", "verdict"])
        worst = worst_past = 0.0
        for fault, (server, url, family) in faults.items():
            port = p[server]
            cfg = self.config(f"giveup-{server}-{family}-{url.split(':')[0]}", [{"name": "deps", "timeout": "2s",
                              "checks": [{"name": "dep", "type": url.split(":")[0].replace("rediss", "redis"),
                                          "url": url.format(port)}]}])
            commands = {"preflight": [self.pf, "-q", "-o", "json", "-c", cfg]}
            if family == "tcp":
                commands["wait-for-it -t 2"] = ["wait-for-it", "-q", f"127.0.0.1:{port}", "-t", "2"]
                commands["wait-on -t 2000 tcp:"] = [self.a.wait_on, "-t", "2000", f"tcp:127.0.0.1:{port}"]
                commands["timeout 2 redis-cli ping"] = ["timeout", "2", "redis-cli", "-h", "127.0.0.1", "-p",
                                                        str(port), "ping"]
            elif family == "pg":
                commands["pg_isready -t 2"] = [self.pg_isready, "-q", "-h", "127.0.0.1", "-p", str(port), "-t", "2"]
            else:
                commands["curl --max-time 2"] = ["curl", "-fsS", "-o", "/dev/null", "--max-time", "2",
                                                 url.format(port)]
                commands["wait-on -t 2000 http-get"] = [self.a.wait_on, "-t", "2000", http_get(url.format(port))]
            results = interleaved(commands, self.a.giveup_rounds, warmup=0, capture=True)
            for label, runs in results.items():
                m, lo, hi = stats([r.wall_ms for r in runs])
                ready = sum(1 for r in runs if r.rc == 0)
                verdict = f"FALSE READY ({ready}/{len(runs)})" if ready else f"not ready (exit {runs[0].rc})"
                own = "—"
                if label == "preflight":
                    if ready:
                        raise RuntimeError(f"preflight reported {fault} as ready")
                    worst = max(worst, hi)
                    past = [json.loads(r.stdout)["phases"][0]["elapsed_ms"] - 2000 for r in runs]
                    worst_past = max(worst_past, max(past))
                    own = f"+{stats(past)[0]:.1f} (max +{max(past):.1f})"
                t.add(fault, label, fmt_ms(m), fmt_ms(lo), fmt_ms(hi), own, verdict)
        t.print()
        self.summary.append(("give-up, slowest preflight exit after a 2 s deadline (ms, spawn to exit)", worst, 2010))
        self.summary.append(("give-up, most a phase ran past its 2 s deadline (ms, own report)", worst_past, 10))

    # 4: time to diagnosis ---------------------------------------------------
    def diagnosis(self):
        u = self.urls()
        env = os.path.join(self.work, "incident.env")
        with open(env, "w") as f:
            f.write(f"DATABASE_URL={u['postgres']}\nREDIS_HOST=your-redis-instance-ip\nREDIS_PORT=6379\n"
                    f"REDIS_PASSWORD={REDIS_PASSWORD}\nAUTH_SERVICE_URL=http://127.0.0.1:{self.ports['health']}\n"
                    f"WEBSOCKET_URL=ws://127.0.0.1:{self.ports['health']}/ws\n")
        demo = os.path.join(self.a.source, "configs", "demo.json")
        commands = {
            "preflight (the incident's config and dotenv)": [self.pf, "-q", "-c", demo, "-e", env],
            "preflight lint (CI, offline)": [self.pf, "lint", "-q", "-c", demo, "-e", env],
            "redis-cli -h your-redis-instance-ip ping": ["redis-cli", "-h", "your-redis-instance-ip", "ping"],
        }
        results = interleaved(commands, self.a.rounds)
        t = Table("4. Time to diagnosis: REDIS_HOST=your-redis-instance-ip (the incident took 7.50 s)",
                  ["command", "median ms", "min", "max", "exit", "says why"])
        why = {
            "preflight (the incident's config and dotenv)": "placeholder in REDIS_HOST, file and line",
            "preflight lint (CI, offline)": "placeholder in REDIS_HOST, file and line",
            "redis-cli -h your-redis-instance-ip ping": "DNS error only",
        }
        for label, runs in results.items():
            m, lo, hi = stats([r.wall_ms for r in runs])
            t.add(label, fmt_ms(m), fmt_ms(lo), fmt_ms(hi), runs[0].rc, why[label])
            if label.startswith("preflight") and any(r.rc != 3 for r in runs):
                raise RuntimeError(f"{label}: expected exit 3")
        t.print()
        self.summary.append(("time to diagnosis (ms)", stats([r.wall_ms for r in results[next(iter(commands))]])[0],
                             10))

    # 6: scale ---------------------------------------------------------------
    def scale(self):
        p, u = self.ports, self.urls()
        n = self.a.scale
        http = [{"name": f"h{i}", "type": "http", "url": f"{u['http']}?i={i}"} for i in range(n)]
        mixed = [{"name": f"c{i}", "type": ("redis", "http", "tcp")[i % 3],
                  "url": (u["redis"], f"{u['http']}?i={i}", f"tcp://127.0.0.1:{p['redis']}")[i % 3]}
                 for i in range(n)]
        silent = [{"name": f"s{i}", "type": "redis", "url": f"redis://127.0.0.1:{p['silent']}"} for i in range(n)]
        cases = {
            f"preflight, {n} http checks": ([self.pf, "-q", "-c", self.config("scale-http", [
                {"name": "scale", "timeout": "10s", "checks": http}])], 0),
            f"wait-on, the same {n} http resources (http-get)": ([self.a.wait_on, "-t", "10000"] +
                                                                 [http_get(c["url"]) for c in http], 0),
            f"preflight, {n} checks: redis AUTH+PING, http, tcp": ([self.pf, "-q", "-c", self.config("scale-mixed", [
                {"name": "scale", "timeout": "10s", "checks": mixed}])], 0),
            f"preflight, {n} redis checks against a silent server, 2 s": ([self.pf, "-q", "-o", "json", "-c",
                                                                          self.config("scale-silent", [
                {"name": "scale", "timeout": "2s", "checks": silent}])], 3),
        }
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(DEFAULT_NOFILE, hard), hard))
        try:
            t = Table(f"6. Scale: one phase of {n} checks, started under ulimit -n {DEFAULT_NOFILE}",
                      ["case", "median ms", "min", "max", "peak RSS MiB", "peak open fds", "exit"])
            for label, (argv, want) in cases.items():
                runs = [run(argv, capture=True, sample_fds=True, timeout_s=60, peak_rss=True)
                        for _ in range(self.a.scale_rounds)]
                for r in runs:
                    if r.rc != want:
                        raise RuntimeError(f"{label}: exit {r.rc}, expected {want}")
                if "silent" in label:
                    kinds = {c["error"]["kind"] for c in json.loads(runs[0].stdout)["phases"][0]["checks"]}
                    if kinds != {"timeout"}:
                        raise RuntimeError(f"{label}: failure kinds {kinds}, expected only timeout")
                m, lo, hi = stats([r.wall_ms for r in runs])
                rss = max(r.maxrss_kib for r in runs) / 1024
                t.add(label, fmt_ms(m), fmt_ms(lo), fmt_ms(hi), f"{rss:.1f}", max(r.peak_fds for r in runs),
                      runs[0].rc)
                if label.startswith(f"preflight, {n} checks"):
                    self.summary.append((f"{n} checks, wall (ms)", m, 1000))
                    self.summary.append((f"{n} checks, peak RSS (MiB)", rss, 64))
            t.print()
            self._scale_per_build()
        finally:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

    def _scale_per_build(self):
        """Issue 32: one phase of 1,000 and 10,000 Redis checks in each build; memory should grow with
        what is open (at most (1024 - 64) / 3 = 320 attempts), not with the number of checks."""
        u = self.urls()
        builds = {self.name: self.pf, **self.flavours}
        t = Table(f"6b. One phase of N Redis checks (AUTH + PING), each build, ulimit -n {DEFAULT_NOFILE}",
                  ["build", "checks", "median ms", "min", "max", "peak RSS MiB", "KiB per check beyond 1,000"])
        for build, path in builds.items():
            rss_at = {}
            for n in self.a.scale_sizes:
                checks = [{"name": f"r{i}", "type": "redis", "url": u["redis"]} for i in range(n)]
                cfg = self.config(f"scale-redis-{n}", [{"name": "scale", "timeout": "30s", "checks": checks}])
                runs = [run([path, "-q", "-c", cfg], capture=True, timeout_s=120, peak_rss=True)
                        for _ in range(self.a.scale_rounds)]
                bad = [r.rc for r in runs if r.rc != 0]
                if bad:
                    raise RuntimeError(f"{build}, {n} redis checks: exit {bad[0]}")
                m, lo, hi = stats([r.wall_ms for r in runs])
                rss_at[n] = max(r.maxrss_kib for r in runs) / 1024
                smallest = min(rss_at)
                per_check = ((rss_at[n] - rss_at[smallest]) * 1024 / (n - smallest)) if n > smallest else None
                t.add(build, n, fmt_ms(m), fmt_ms(lo), fmt_ms(hi), f"{rss_at[n]:.1f}",
                      f"{per_check:.1f}" if per_check is not None else "—")
                if build == "fully-static" and n == 10000:
                    self.summary.append(("fully-static: 10,000 checks, wall (ms)", m, 1500))
                    self.summary.append(("fully-static: 10,000 checks, peak RSS (MiB)", rss_at[n], 128))
                if build == "fully-static" and n == 1000:
                    self.summary.append(("fully-static: 1,000 checks, peak RSS (MiB)", rss_at[n], 24))
        t.print()

    def print_summary(self):
        t = Table("Targets", ["target", "measured", "limit", "met"])
        for name, value, limit in self.summary:
            t.add(name, f"{value:.2f}" if value < 10 else f"{value:.0f}", limit, "yes" if value <= limit else "**no**")
        t.print()


def version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--preflight", required=True)
    parser.add_argument("--fixture", required=True)
    parser.add_argument("--wait-on", required=True)
    parser.add_argument("--grpc-server", required=True, help="tests/support/grpc_health_server, built")
    parser.add_argument("--grpc-client", required=True, help="bench/grpc_health_check, built")
    parser.add_argument("--nats-client", help="bench/native_clients/nats_ping, built (Go)")
    parser.add_argument("--amqp-client", help="bench/native_clients/amqp_connect, built (Go)")
    parser.add_argument("--source", default=os.path.dirname(here))
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--trials", type=int, default=12)
    parser.add_argument("--giveup-rounds", type=int, default=3)
    parser.add_argument("--scale", type=int, default=1000)
    parser.add_argument("--scale-rounds", type=int, default=3)
    parser.add_argument("--scale-sizes", type=lambda v: [int(x) for x in v.split(",")], default=[1000, 10000],
                        help="phase sizes of table 6b, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--preflight-name", default="fully-static", help="what the --preflight build is, in the tables")
    parser.add_argument("--flavour", action="append", default=[], metavar="NAME=PATH",
                        help="another build of preflight (a static flavour) timed beside --preflight; repeatable")
    parser.add_argument("--only", help="comma-separated scenarios: healthy,startup,detection,giveup,diagnosis,scale,probes")
    args = parser.parse_args()
    for tool in ("pg_isready", "redis-cli", "curl", "wait-for-it", "redis-server", "/usr/bin/time"):
        if not shutil.which(tool):
            sys.exit(f"bench: {tool} is not installed (bench/run.sh installs the peers)")

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) / 1048576
    print(f"machine: {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()} {platform.release()}, "
          f"load {os.getloadavg()[0]:.2f}")
    print("versions: " + "; ".join([
        version([args.preflight, "--version"]), version([postgres_bin() + "/pg_isready", "--version"]),
        version(["redis-cli", "--version"]), version(["curl", "--version"]).split(" (")[0],
        "wait-on " + wait_on_version(args.wait_on), "wait-for-it (Debian)", version(["redis-server", "--version"]).split(" sha")[0],
        version([postgres_bin() + "/postgres", "--version"])]))

    services = Services(args.fixture)
    try:
        services.start()
        bench = Bench(args, services)
        scenarios = {"healthy": bench.healthy, "detection": bench.detection, "giveup": bench.give_up,
                     "diagnosis": bench.diagnosis, "startup": bench.startup, "scale": bench.scale,
                     "probes": bench.probes}
        chosen = args.only.split(",") if args.only else list(scenarios)
        for name in chosen:
            if name not in scenarios:
                sys.exit(f"bench: unknown scenario {name}")
            started = time.monotonic()
            scenarios[name]()
            print(f"\n({name}: {time.monotonic() - started:.0f} s)")
        bench.print_summary()
    finally:
        services.stop()


if __name__ == "__main__":
    main()
