#!/bin/sh
# The lowest-versions test tier (run by hand, not in CI): install ctsearch with every direct
# dependency at the LOWEST version pyproject.toml allows (its ">=" bounds; whoosh-reloaded is
# pinned with "=="), in a fresh venv, and run the test suite there.
#
#   sh benchmarks/lowest_deps.sh                     # the whole suite (~5-10 min on 2 cores)
#   sh benchmarks/lowest_deps.sh tests/documents/test_punkt.py  # only some tests
#   PYTHON=python3.12 sh benchmarks/lowest_deps.sh   # with another interpreter
#
# Needs the package registry (pip). The venv lives in benchmarks/work/lowest-venv (git-ignored)
# and is made afresh each run; the constraints used are printed first. Exit status: pytest's.
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
WORK=benchmarks/work
VENV="$WORK/lowest-venv"
mkdir -p "$WORK"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"

# "name>=X,<Y" → "name==X" for each direct dependency (pinned ones as they are).
"$VENV/bin/python" - > "$WORK/lowest-constraints.txt" <<'EOF'
import re, tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
for dep in deps:
    name = re.match(r"[A-Za-z0-9_.-]+", dep).group(0)
    low = re.search(r"(==|>=)\s*([0-9][^,;\s]*)", dep)
    if low is None:
        raise SystemExit(f"no lower bound for {dep!r}: give it one")
    print(f"{name}=={low.group(2)}")
EOF
echo "lowest allowed versions:" >&2
cat "$WORK/lowest-constraints.txt" >&2

"$VENV/bin/pip" install -q --upgrade pip >&2
"$VENV/bin/pip" install -q -c "$WORK/lowest-constraints.txt" -e '.[test]' >&2
echo "installed:" >&2
"$VENV/bin/python" - "$WORK/lowest-constraints.txt" >&2 <<'EOF'
import sys
from importlib.metadata import version
for line in open(sys.argv[1]):
    name = line.split("==")[0].strip()
    if name:
        print(f"{name}=={version(name)}")
EOF
exec "$VENV/bin/python" -m pytest -q -x -p no:cacheprovider "$@"
