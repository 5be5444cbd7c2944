#!/usr/bin/env python3
"""Every option `preflight --help` lists is documented in the man page and
offered by the bash completion, and the completion completes what it should.
Usage: docs_in_sync.py PREFLIGHT SOURCE_DIR"""
import os
import re
import subprocess
import sys

binary, source_dir = sys.argv[1], sys.argv[2]
failures = []

help_text = subprocess.run([binary, "--help"], capture_output=True, text=True, check=True).stdout
options = sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", help_text.split("Options:")[1].split("Examples:")[0])))
if len(options) < 15:
    failures.append(f"--help lists only {options}")

with open(os.path.join(source_dir, "docs", "preflight.1")) as f:
    man = f.read().replace("\\-", "-")
completion_path = os.path.join(source_dir, "completions", "preflight.bash")
with open(completion_path) as f:
    completion = f.read()
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

for f in failures:
    print("FAIL:", f)
print(f"docs_in_sync: {len(options)} options, {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
