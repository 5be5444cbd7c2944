#!/usr/bin/python3
"""What another YAML implementation makes of tests/data/yaml/.

The unit test YamlReader.ReadsEachCorpusFileAsTheYamlPackageDoes compares
preflight's reading of each corpus file with the .json beside it. This
checks that those files are what the `yaml` package (eemeli/yaml, Debian's
node-yaml, run by node) makes of each one with YAML 1.2's core schema and
merge keys, and that the files without a .json are the ones it refuses.

preflight is stricter than the package in four ways, each a value a config
cannot hold or a document it cannot mean: the package's warnings (an
unknown tag) count as refusals, and so do a second document, a number that
is not finite and an integer past 2^53 (the package would round it).

    yaml_oracle.py BINARY SOURCE_DIR           check
    yaml_oracle.py BINARY SOURCE_DIR --write   (re)write the .json files
"""
import json
import os
import pathlib
import subprocess
import sys

ORACLE = r"""
const YAML = require("yaml");
const fs = require("fs");
const options = {schema: "core", merge: true, uniqueKeys: true, version: "1.2"};
function refusal(value) {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "a number that is not finite";
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return "an integer past 2^53";
  }
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) { const r = refusal(v); if (r) return r; }
  }
  return null;
}
const out = {};
for (const file of JSON.parse(process.argv[1])) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, "utf8"), options);
  const problems = docs.flatMap(d => [...d.errors, ...d.warnings].map(e => e.message.split("\n")[0]));
  if (problems.length) { out[file] = {refused: problems[0]}; continue; }
  if (docs.length > 1) { out[file] = {refused: "more than one document"}; continue; }
  let value = null;
  try { value = docs.length ? docs[0].toJS() : null; } catch (e) { out[file] = {refused: e.message}; continue; }
  const why = refusal(value);
  out[file] = why ? {refused: why} : {value: value === undefined ? null : value};
}
process.stdout.write(JSON.stringify(out));
"""


def main():
    source = pathlib.Path(sys.argv[2])
    write = "--write" in sys.argv[3:]
    corpus = sorted((source / "tests/data/yaml").glob("*.yaml"))
    if len(corpus) < 15:
        sys.exit(f"yaml_oracle: only {len(corpus)} corpus files in {source / 'tests/data/yaml'}")
    env = dict(os.environ, NODE_PATH="/usr/share/nodejs")
    run = subprocess.run(["node", "-e", ORACLE, json.dumps([str(f) for f in corpus])],
                         env=env, capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        sys.exit(f"yaml_oracle: node with Debian's node-yaml failed:\n{run.stderr}")
    verdicts = json.loads(run.stdout)
    failures = []
    for file in corpus:
        verdict = verdicts[str(file)]
        expected = file.with_suffix(".json")
        if write:
            if "value" in verdict:
                expected.write_text(json.dumps(verdict["value"], indent=2, ensure_ascii=False, sort_keys=True) + "\n")
            elif expected.exists():
                expected.unlink()
            continue
        if "refused" in verdict:
            if expected.exists():
                failures.append(f"{file.name}: the package refuses it ({verdict['refused']}), yet {expected.name} exists")
        elif not expected.exists():
            failures.append(f"{file.name}: the package reads it, but there is no {expected.name}")
        elif json.loads(expected.read_text()) != verdict["value"]:
            failures.append(f"{file.name}: {expected.name} differs from the package's reading "
                            f"{json.dumps(verdict['value'], sort_keys=True)}")
    for f in failures:
        print(f, file=sys.stderr)
    refused = sum("refused" in v for v in verdicts.values())
    print(f"yaml_oracle: {len(corpus)} files, {len(corpus) - refused} read, {refused} refused"
          f"{' (written)' if write else ''}; {len(failures)} disagreements")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
