#!/usr/bin/env bash
# The main job from a bare machine: set up, then `srm demo` (extra arguments go to it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/srm demo "$@"
