#!/usr/bin/env python3
"""JUnit from `check` and `lint`, read back with a real XML parser: one
<testsuite> per phase, one <testcase> per check, failures with kind and
message, and counts that add up. Usage: junit_parses.py PREFLIGHT"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

binary = sys.argv[1]  # SOURCE_DIR, the second argument, is unused
failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, env_extra=None):
    env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", **(env_extra or {})}
    return subprocess.run([binary, *args], capture_output=True, text=True, env=env, timeout=30)


with tempfile.TemporaryDirectory() as tmp:
    config = os.path.join(tmp, "cfg.json")
    with open(config, "w") as f:
        json.dump({"phases": [
            {"name": "cache & <queue>", "timeout": "300ms", "checks": [
                {"name": "redis", "type": "tcp", "url": f"tcp://127.0.0.1:{closed_port()}"},
                {"name": "optional", "type": "tcp", "url": f"tcp://127.0.0.1:{closed_port()}", "required": False},
                {"name": "placeholder", "type": "tcp", "url": "tcp://${CACHE_HOST}:1"}]},
            {"name": "services", "timeout": "300ms", "checks": [
                {"name": "auth", "type": "http", "url": "http://127.0.0.1:1/health"}]}]}, f)

    # check: the placeholder decides the run before any connection, so nothing
    # is probed; --keep-going probes everything; lint never connects.
    for mode in (["-c", config], ["-c", config, "--keep-going"], ["lint", "-c", config]):
        r = run([*mode, "-o", "junit"], {"CACHE_HOST": "your-cache-host"})
        where = " ".join(m for m in mode if m != config)
        keep_going = "--keep-going" in mode
        expect(r.returncode == 3, f"{where}: exit {r.returncode}, expected 3: {r.stderr}")
        try:
            root = ET.fromstring(r.stdout)
        except ET.ParseError as e:
            failures.append(f"{where}: not well-formed XML ({e}):\n{r.stdout}")
            continue
        expect(root.tag == "testsuites", f"{where}: root is <{root.tag}>")
        suites = root.findall("testsuite")
        expect([s.get("name") for s in suites] == ["cache & <queue>", "services"],
               f"{where}: suites {[s.get('name') for s in suites]}")
        cases = root.findall("testsuite/testcase")
        expect(int(root.get("tests")) == len(cases) == 4, f"{where}: tests={root.get('tests')}, {len(cases)} testcases")
        failed = root.findall("testsuite/testcase/failure")
        expect(int(root.get("failures")) == len(failed), f"{where}: failures={root.get('failures')} but {len(failed)} <failure>")
        for suite in suites:
            n = len(suite.findall("testcase"))
            expect(int(suite.get("tests")) == n, f"{where}: suite {suite.get('name')} tests={suite.get('tests')}, has {n}")
            expect(int(suite.get("failures")) == len(suite.findall("testcase/failure")), f"{where}: suite failures")
            expect(int(suite.get("skipped")) == len(suite.findall("testcase/skipped")), f"{where}: suite skipped")
        by_name = {c.get("name"): c for c in cases}
        placeholder = by_name["placeholder"].find("failure")
        expect(placeholder is not None and placeholder.get("type") == "placeholder"
               and "CACHE_HOST" in placeholder.get("message"), f"{where}: placeholder failure {ET.tostring(by_name['placeholder'])}")
        expect(by_name["optional"].find("failure") is None, f"{where}: a non-required check is not a failure")
        if keep_going:
            redis = by_name["redis"].find("failure")
            expect(redis is not None and redis.get("type") == "connection_refused" and redis.get("message"),
                   f"{where}: redis failure {ET.tostring(by_name['redis'])}")
            auth = by_name["auth"].find("failure")
            expect(auth is not None and auth.get("message"), f"{where}: auth is probed and fails")
        else:
            expect(by_name["auth"].find("skipped") is not None, f"{where}: the phase after a failure is skipped")
        if mode[0] == "-c" and not keep_going:
            expect(by_name["redis"].find("skipped") is not None,
                   f"{where}: redis is not probed once the placeholder decided the run")

for f in failures:
    print("FAIL:", f)
print(f"junit_parses: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
