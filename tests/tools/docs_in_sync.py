#!/usr/bin/env python3
"""The docs against the binary and the code:
- every option `preflight --help` lists is documented in the man page and in
  docs/reference.md, and offered by the bash completion, which completes what
  it should; every option docs/reference.md lists exists;
- every check type and field `preflight schema` knows is documented in
  docs/reference.md, and every type and field documented there exists; the
  same for the config's top-level and phase keys;
- every failure kind of src/base/failure.h and every exit code of
  src/base/exit_codes.h is documented in docs/reference.md;
- docs/report.schema.json validates the `-o json` reports of real runs, and
  its keys are the ones docs/reference.md describes;
- the JSON examples in docs/reference.md validate against their schemas.
Usage: docs_in_sync.py PREFLIGHT SOURCE_DIR"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

import jsonschema

binary, source_dir = sys.argv[1], sys.argv[2]
failures = []
# A clean environment: the default profile reads well-known variables.
CLEAN_ENV = {"PATH": "/usr/bin:/bin"}


def read(*parts):
    with open(os.path.join(source_dir, *parts)) as f:
        return f.read()


# --- the man page and the bash completion ------------------------------------

help_text = subprocess.run([binary, "--help"], capture_output=True, text=True, check=True).stdout
options_text = help_text.split("Options:")[1].split("Examples:")[0]
options = sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", options_text)))
short_options = sorted(set(re.findall(r"(?<![\w-])(-[a-zA-Z])(?=[, ])", options_text)))
if len(options) < 15:
    failures.append(f"--help lists only {options}")
if len(short_options) < 5:
    failures.append(f"--help lists only the short options {short_options}")

man = read("docs", "preflight.1").replace("\\-", "-")
completion_path = os.path.join(source_dir, "completions", "preflight.bash")
completion = read("completions", "preflight.bash")
for option in options:
    if not re.search(re.escape(option) + r"(?![a-z-])", man):
        failures.append(f"{option} is not in docs/preflight.1")
    if not re.search(re.escape(option) + r"(?![a-z-])", completion):
        failures.append(f"{option} is not in completions/preflight.bash")


def complete(*words):
    script = (f"source {completion_path}; COMP_WORDS=({' '.join(repr(w) for w in words)}); "
              f"COMP_CWORD={len(words) - 1}; _preflight; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=10)
    return sorted(filter(None, r.stdout.split("\n")))


for words, expected in [
    (("preflight", "--ou"), ["--output"]),
    (("preflight", "-o", ""), ["json", "junit", "text"]),
    (("preflight", "--mode", ""), ["enforce", "warn"]),
    (("preflight", "li"), ["lint"]),
    (("preflight", "lint", "--keep"), ["--keep-going"]),
    (("preflight", "--report-format", "j"), ["json", "junit"]),
]:
    got = complete(*words)
    if got != expected:
        failures.append(f"completing {words}: {got}, expected {expected}")

# --- docs/reference.md: its sections and tables ------------------------------

reference_path = os.path.join("docs", "reference.md")
reference = read(reference_path)


def section(heading):
    """The text under a heading such as "## Exit codes" or "### `redis`", up to
    the next heading of the same or a higher level; "" when there is none."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = reference.split("\n")
    for i, line in enumerate(lines):
        if line.strip() == heading:
            out = []
            for following in lines[i + 1:]:
                m = re.match(r"(#+) ", following)
                if m and len(m.group(1)) <= level:
                    break
                out.append(following)
            return "\n".join(out)
    failures.append(f"{reference_path} has no heading {heading!r}")
    return ""


def subheadings(text, level):
    """The `name` of every heading "### `name`" at this level in `text`."""
    return re.findall(r"^" + "#" * level + r" `([^`]+)`\s*$", text, re.M)


def tables(text):
    """Every Markdown table in `text`: (header cells, first cell of each row)."""
    out, header, rows = [], None, []
    for line in text.split("\n") + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if header is None:
                header = cells
            elif not re.fullmatch(r"[-: ]+", "".join(cells)):
                rows.append(cells[0])
        elif header is not None:
            out.append((header, rows))
            header, rows = None, []
    return out


def first_column_names(text, header_name):
    """The backticked names in the first column of the tables of `text` whose
    first header cell is `header_name`."""
    names = set()
    for header, rows in tables(text):
        if header and header[0] == header_name:
            for cell in rows:
                names.update(re.findall(r"`([^`]+)`", cell))
    return names


def compare(what, in_code, in_docs, where):
    for name in sorted(in_code - in_docs):
        failures.append(f"{what} {name} is not documented in {where}")
    for name in sorted(in_docs - in_code):
        failures.append(f"{where} documents {what} {name}, which does not exist")


# Options, both ways: the option table lists every option --help lists, and
# nothing else.
option_rows = first_column_names(section("### Options"), "option")
compare("option", set(options) | set(short_options), option_rows, f"{reference_path} (Options)")

# --- check types and fields, from `preflight schema` --------------------------

config_schema = json.loads(subprocess.run([binary, "schema"], capture_output=True, text=True, check=True).stdout)
try:
    phase_schema = config_schema["properties"]["phases"]["items"]
    variants = phase_schema["properties"]["checks"]["items"]["oneOf"]
    schema_types = {v["properties"]["type"]["const"]: set(v["properties"]) for v in variants}
except (KeyError, TypeError) as e:
    failures.append(f"`preflight schema` no longer has the shape this test reads ({e!r}): update docs_in_sync.py")
    phase_schema, schema_types = {"properties": {}}, {}
# Every type has these; every type that connects also has "url" (a command
# check connects to nothing).
common_fields = set.intersection(*schema_types.values()) | {"url"} if schema_types else set()
if schema_types and common_fields != {"name", "type", "url", "required", "certificate_expiry_warning", "retry"}:
    failures.append(f"the fields every check type has are {sorted(common_fields)}; update the docs and this test")

check_types_text = section("## Check types")
compare("check type", set(schema_types), set(subheadings(check_types_text, 3)), f"{reference_path} (Check types)")
for type_name, fields in sorted(schema_types.items()):
    type_text = section(f"### `{type_name}`")
    compare(f"field of {type_name}", fields - common_fields, first_column_names(type_text, "field"),
            f"{reference_path} (### `{type_name}`)")
# The man page names every type on its "Check types:" line, and no other.
man_types_line = man.split("Check types:", 1)[1].lstrip("\n").split("\n", 1)[0] if "Check types:" in man else ""
man_types = set(re.findall(r"\b[a-z]+\b", man_types_line.removeprefix(".BR")))
compare("check type", set(schema_types), man_types, "docs/preflight.1 (Check types)")
checks_text = section("### Checks")
compare("common check field", common_fields, first_column_names(checks_text, "field"), f"{reference_path} (### Checks)")
for type_name in schema_types:
    if f"`{type_name}`" not in checks_text:
        failures.append(f"check type {type_name} is not listed in {reference_path} (### Checks)")
compare("config key", set(config_schema.get("properties", {})), first_column_names(section("### Top-level keys"), "key"),
        f"{reference_path} (### Top-level keys)")
compare("phase key", set(phase_schema.get("properties", {})), first_column_names(section("### Phases"), "key"),
        f"{reference_path} (### Phases)")

# --- failure kinds and exit codes, from the headers --------------------------

failure_h = read("src", "base", "failure.h")
enum = re.search(r"enum class FailureKind\s*\{(.*?)\};", failure_h, re.S)
kinds = set(re.findall(r"^\s*([a-z_]+)\s*(?:=\s*\w+\s*)?,?\s*(?://.*)?$", enum.group(1), re.M)) if enum else set()
if len(kinds) < 10:
    failures.append(f"found only {sorted(kinds)} in FailureKind (src/base/failure.h)")
compare("failure kind", kinds, first_column_names(section("## Failure kinds"), "kind"), f"{reference_path} (Failure kinds)")

exit_codes_h = read("src", "base", "exit_codes.h")
exit_codes = dict(re.findall(r"inline constexpr int (\w+) = (\d+);", exit_codes_h))
exit_table = tables(section("## Exit codes"))
exit_rows = {row for header, rows in exit_table if header and header[0] == "code" for row in rows}
for name, value in sorted(exit_codes.items()):
    if value not in exit_rows and f"{value}+N" not in exit_rows:
        failures.append(f"exit code {value} (exit_code::{name}) is not in {reference_path} (Exit codes)")

# --- the JSON report ----------------------------------------------------------

report_schema = json.loads(read("docs", "report.schema.json"))
jsonschema.Draft202012Validator.check_schema(report_schema)
report_validator = jsonschema.Draft202012Validator(report_schema)
config_validator = jsonschema.Draft202012Validator(config_schema)

defs = report_schema.get("$defs", {})
report_keys = set(report_schema.get("properties", {}))
for name in ("finding", "phase", "check", "error"):
    report_keys |= set(defs.get(name, {}).get("properties", {}))
compare("JSON report key", report_keys, first_column_names(section("### JSON report"), "key"),
        f"{reference_path} (JSON report)")
# The schema's enums follow the code.
if set(defs.get("failure_kind", {}).get("enum", [])) != kinds:
    failures.append(f"docs/report.schema.json lists the failure kinds {sorted(defs.get('failure_kind', {}).get('enum', []))}, "
                    f"failure.h {sorted(kinds)}")
check_type_enum = set(defs.get("check", {}).get("properties", {}).get("type", {}).get("enum", []))
if schema_types and check_type_enum != set(schema_types):
    failures.append(f"docs/report.schema.json lists the check types {sorted(check_type_enum)}, "
                    f"`preflight schema` {sorted(schema_types)}")


def validate_report(what, text, exit_code=None):
    try:
        doc = json.loads(text)
    except ValueError as e:
        failures.append(f"{what}: the report is not JSON ({e}): {text[:300]!r}")
        return None
    for error in report_validator.iter_errors(doc):
        path = "/".join(str(p) for p in error.absolute_path)
        failures.append(f"{what}: docs/report.schema.json rejects the report at /{path}: {error.message}")
    if exit_code is not None and isinstance(doc, dict) and doc.get("exit_code") != exit_code:
        failures.append(f"{what}: exited {exit_code}, but the report says exit_code {doc.get('exit_code')}")
    return doc


def run_report(args, expected_exit, env=None, what=None):
    what = what or "preflight " + " ".join(args)
    r = subprocess.run([binary, *args], capture_output=True, text=True, env=env or CLEAN_ENV, timeout=60)
    if r.returncode != expected_exit:
        failures.append(f"{what}: exit {r.returncode}, expected {expected_exit}\n{r.stderr}")
    return validate_report(what, r.stdout, r.returncode)


closed = "127.0.0.1:1"
doc = run_report(["--once", "--set", f"REDIS_URL=redis://{closed}", "-o", "json"], 3)
if doc and doc.get("failed_checks") != ["cache/redis"]:
    failures.append(f"a refused Redis: failed_checks {doc.get('failed_checks')}")
run_report(["lint", "--set", f"REDIS_URL=redis://{closed}", "-o", "json"], 0)
run_report(["--once", "--mode", "warn", "--set", f"REDIS_URL=redis://{closed}", "-o", "json"], 0)
for mode in ([], ["lint"]):
    doc = run_report([*mode, "--set", "REDIS_HOST=your-redis-instance-ip", "--set", "REDIS_PASSWORD=not-a-real-one",
                      "-o", "json"], 3)
    if doc and not doc.get("findings"):
        failures.append(f"preflight {' '.join(mode)} with a placeholder: no findings in the report")

with tempfile.TemporaryDirectory() as tmp:
    # Every check type, refused; a non-required check; an unset variable.
    config = {"name": "every type", "phases": [
        {"name": "first", "timeout": "2s", "checks": [
            {"name": "tcp", "type": "tcp", "url": f"tcp://{closed}"},
            {"name": "redis", "type": "redis", "url": f"redis://{closed}/0", "password": "${REDIS_PASSWORD}"},
            {"name": "postgres", "type": "postgres", "url": f"postgres://app:${{PGPW}}@{closed}/app"},
            {"name": "unset", "type": "tcp", "url": "tcp://${NOT_SET_ANYWHERE}:5"}]},
        {"name": "second", "timeout": "2s", "checks": [
            {"name": "http", "type": "http", "url": f"http://{closed}/health", "expect": {"status": ["200-299"]}},
            {"name": "ws", "type": "websocket", "url": f"ws://{closed}/", "required": False}]},
        {"name": "third", "checks": [{"name": "later", "type": "tcp", "url": f"tcp://{closed}"}]}]}
    path = os.path.join(tmp, "preflight.json")
    with open(path, "w") as f:
        json.dump(config, f)
    env = {**CLEAN_ENV, "REDIS_PASSWORD": "a-redis-password", "PGPW": "a-pg-password"}
    report_file = os.path.join(tmp, "report.json")
    run_report(["-c", path, "--once", "--keep-going", "-o", "json", "--report-file", report_file], 3, env)
    with open(report_file) as f:
        validate_report("--report-file of the every-type run", f.read(), 3)
    doc = run_report(["-c", path, "--once", "-o", "json"], 3, env)
    statuses = {c["status"] for p in (doc or {}).get("phases", []) for c in p.get("checks", [])}
    if doc and statuses != {"failed", "skipped"}:
        failures.append(f"the every-type run decided offline: check statuses {sorted(statuses)}")
    run_report(["lint", "-c", path, "-o", "json"], 3, env)

    # A signal while a check waits for a server that accepts and never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        p = subprocess.Popen([binary, "--set", f"REDIS_URL=redis://127.0.0.1:{port}", "-o", "json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=CLEAN_ENV)
        # Once the check has connected, it waits for PING's reply until the
        # cache phase's deadline (5 s): the signal comes in the middle.
        silent.settimeout(30)
        connection = None
        try:
            connection, _ = silent.accept()
        except socket.timeout:
            failures.append("the Redis check never connected to the silent server")
        time.sleep(0.1)
        p.send_signal(signal.SIGTERM)
        try:
            out, err = p.communicate(timeout=30)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            if connection:
                connection.close()
        if p.returncode != 128 + signal.SIGTERM:
            failures.append(f"SIGTERM during a check: exit {p.returncode}\n{err}")
        doc = validate_report("SIGTERM during a check", out, p.returncode)
        if doc and doc.get("status") != "interrupted":
            failures.append(f"SIGTERM during a check: status {doc.get('status')}")

# The schema is strict: it rejects what the renderer must not emit.
sample = {"tool": "preflight", "version": "0.1.0", "status": "failed", "exit_code": 3, "elapsed_ms": 1.0,
          "failed_checks": ["p/c"], "findings": [],
          "phases": [{"name": "p", "status": "failed", "elapsed_ms": 1.0, "timeout_ms": 1000,
                      "checks": [{"name": "c", "type": "tcp", "required": True, "target": "tcp://h:1",
                                  "status": "failed", "elapsed_ms": 1.0, "attempts": 1,
                                  "error": {"kind": "timeout", "message": "m", "hint": ""}}]}]}
if not report_validator.is_valid(sample):
    failures.append("docs/report.schema.json rejects a minimal failed report")
for label, broken in [("an unknown key", {**sample, "warnings": []}),
                      ("a failed check without error",
                       {**sample, "phases": [{**sample["phases"][0],
                                              "checks": [{k: v for k, v in sample["phases"][0]["checks"][0].items()
                                                          if k != "error"}]}]})]:
    if report_validator.is_valid(broken):
        failures.append(f"docs/report.schema.json accepts a report with {label}")

# --- the JSON examples in docs/reference.md ----------------------------------

examples = re.findall(r"```json\n(.*?)```", reference, re.S)
if len(examples) < 2:
    failures.append(f"{reference_path} has {len(examples)} JSON examples, expected a config and a report")
for i, block in enumerate(examples, 1):
    try:
        example = json.loads(block)
    except ValueError as e:
        failures.append(f"{reference_path} JSON example {i} is not JSON: {e}")
        continue
    validator = report_validator if "tool" in example else config_validator
    for error in validator.iter_errors(example):
        failures.append(f"{reference_path} JSON example {i}: {error.message}")

for f in failures:
    print("FAIL:", f)
print(f"docs_in_sync: {len(options)} options, {len(schema_types)} check types, {len(kinds)} failure kinds, "
      f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
