#!/usr/bin/env python3
"""Fails when a source file includes a header of a module above its own.

The modules of src/, lowest first (ARCHITECTURE.md, "Stages and direction").
A header belongs to the module of its .cc file (include/preflight/x.h with
src/M/x.cc, or src/M/x.h itself); the few headers with no .cc are listed
in HEADER_ONLY. Run by the build (target check_layers), so an include that
points upward fails it before any test runs.
"""
import pathlib
import re
import sys

LAYERS = ["base", "net", "probes", "config", "engine", "report", "app", "lazy", "cli"]
HEADER_ONLY = {
    "preflight/result.h": "base",
    "preflight/exit_codes.h": "base",
    "preflight/probe.h": "probes",
    "preflight/config.h": "config",
    "preflight/report.h": "engine",
    "preflight/render.h": "report",
    "preflight/app.h": "app",
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main(root: pathlib.Path) -> int:
    src = root / "src"
    owner = dict(HEADER_ONLY)
    for f in src.glob("*/*"):
        module = f.parent.name
        if f.suffix == ".cc":
            owner.setdefault(f"preflight/{f.stem}.h", module)
        elif f.suffix == ".h":
            owner[f"{module}/{f.name}"] = module
    problems = []
    public = sorted((root / "include").glob("preflight/*.h"))
    for f in sorted(src.glob("*/*")) + public:
        if f.suffix not in (".cc", ".h"):
            continue
        module = owner.get(f"preflight/{f.name}") if f in public else f.parent.name
        if module not in LAYERS:
            problems.append(f"{f.relative_to(root)}: module {module} is not in the layer list of {__file__}")
            continue
        for name in INCLUDE.findall(f.read_text()):
            target = owner.get(name) or owner.get(f"{module}/{name}")
            if target is None:
                problems.append(f"{f.relative_to(root)}: includes {name}, which belongs to no module")
            elif LAYERS.index(target) > LAYERS.index(module):
                problems.append(f"{f.relative_to(root)} ({module}) includes {name} of {target}, a module above it")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")))
