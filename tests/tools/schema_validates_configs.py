#!/usr/bin/env python3
"""`preflight schema` against what we ship: every config in configs/ and
every JSON config in the README validates, the binary accepts each of them,
and configs the binary rejects are rejected by the schema too. The YAML
configs of the README and the reference too: the schema serves both, read
by the `yaml` package (Debian's node-yaml) as an editor's YAML support reads
them.
Usage: schema_validates_configs.py PREFLIGHT SOURCE_DIR"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema

binary, source_dir = sys.argv[1], sys.argv[2]
failures = []
schema = json.loads(subprocess.run([binary, "schema"], capture_output=True, text=True, check=True).stdout)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

shipped = {}
for path in sorted(glob.glob(os.path.join(source_dir, "configs", "*.json"))):
    with open(path) as f:
        shipped[os.path.relpath(path, source_dir)] = f.read()
with open(os.path.join(source_dir, "README.md")) as f:
    for i, block in enumerate(re.findall(r"```json\n(.*?)```", f.read(), re.S)):
        shipped[f"README.md json block {i + 1}"] = block

yaml_shipped = {}
for doc in ("README.md", "docs/reference.md"):
    with open(os.path.join(source_dir, doc)) as f:
        for i, block in enumerate(re.findall(r"```yaml\n(.*?)```", f.read(), re.S)):
            if re.search(r"^phases:", block, re.M):
                yaml_shipped[f"{doc} yaml block {i + 1}"] = block
if not yaml_shipped:
    failures.append("expected a YAML config in the README or the reference, found none")


def yaml_to_json(text):
    node = ('const Y = require("yaml"); process.stdout.write(JSON.stringify('
            'Y.parse(require("fs").readFileSync(0, "utf8"), {schema: "core", merge: true})))')
    r = subprocess.run(["node", "-e", node], input=text, capture_output=True, text=True, timeout=30,
                       env=dict(os.environ, NODE_PATH="/usr/share/nodejs"), check=True)
    return r.stdout


if len(shipped) < 2:
    failures.append(f"expected shipped configs, found {list(shipped)}")


def lint_accepts(text, file_name="preflight.json"):
    """Exit 2 means the binary finds the config unusable. Files it names
    (env_files, secrets_dirs) are made, empty, beside it; absolute ones are
    moved there first (YAML configs name none)."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            doc = json.loads(text)
        except ValueError:
            doc = None  # malformed on purpose, or YAML: written as it is
        if isinstance(doc, dict):
            for key in ("env_files", "secrets_dirs"):
                names = [n.lstrip("/") for n in doc.get(key, [])]
                if names:
                    doc[key] = names
                for name in names:
                    if key == "env_files":
                        open(os.path.join(tmp, name), "w").close()
                    else:
                        os.makedirs(os.path.join(tmp, name), exist_ok=True)
            text = json.dumps(doc)
        path = os.path.join(tmp, file_name)
        with open(path, "w") as f:
            f.write(text)
        r = subprocess.run([binary, "lint", "-c", path], capture_output=True, text=True,
                           env={"PATH": "/usr/bin:/bin"}, timeout=30)
        return r.returncode != 2, r.stderr


for name, text in shipped.items():
    errors = [e.message for e in validator.iter_errors(json.loads(text))]
    if errors:
        failures.append(f"{name} does not validate: {errors}")
    accepted, err = lint_accepts(text)
    if not accepted:
        failures.append(f"{name} is rejected by the binary: {err}")

for name, text in yaml_shipped.items():
    errors = [e.message for e in validator.iter_errors(json.loads(yaml_to_json(text)))]
    if errors:
        failures.append(f"{name} does not validate: {errors}")
    accepted, err = lint_accepts(text, "preflight.yaml")
    if not accepted:
        failures.append(f"{name} is rejected by the binary: {err}")

check = {"name": "r", "type": "redis", "url": "redis://h:6379"}
rejected = {
    "unknown top-level key": {"phases": [{"name": "p", "checks": [check]}], "phasess": []},
    "unknown check key": {"phases": [{"name": "p", "checks": [{**check, "pasword": "x"}]}]},
    "field of another type": {"phases": [{"name": "p", "checks": [{**check, "expect": {"status": [200]}}]}]},
    "bad duration": {"phases": [{"name": "p", "timeout": "soon", "checks": [check]}]},
    "no checks": {"phases": [{"name": "p", "checks": []}]},
    "unknown type": {"phases": [{"name": "p", "checks": [{**check, "type": "mongo"}]}]},
    "bad budget": {"budget": "whenever", "phases": [{"name": "p", "checks": [check]}]},
}
for why, doc in rejected.items():
    if validator.is_valid(doc):
        failures.append(f"the schema accepts a config with {why}")
    accepted, _ = lint_accepts(json.dumps(doc))
    if accepted:
        failures.append(f"the binary accepts a config with {why}")

for f in failures:
    print("FAIL:", f)
print(f"schema_validates_configs: {len(shipped)} shipped configs, {len(yaml_shipped)} in YAML, {len(rejected)} bad ones, {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
