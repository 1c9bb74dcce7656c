#!/usr/bin/env bash
# The test command: set up what is missing, then run the whole suite on a real Neo4j
# (a local server started by the fixture, or NEO4J_URI). Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit $?
.venv/bin/python -m pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure, not a pass." >&2
  exit 1
fi
exit "$status"
