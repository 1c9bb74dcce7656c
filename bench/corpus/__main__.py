"""``python -m bench.corpus --out DIR --people N --seed S`` (see :mod:`bench.corpus`)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.corpus import add_seed_option, generate_corpus


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.corpus",
        description="Write the independent identity-resolution corpus (a canonical bundle "
        "with truth.csv and pair_classes.csv) into DIR.",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--people", type=int, default=2000, help="persons (default 2000)")
    add_seed_option(parser, "--seed")
    args = parser.parse_args()
    if args.people < 10:
        parser.error("--people must be at least 10")
    started = time.perf_counter()
    counts = generate_corpus(args.out, people=args.people, seed=args.seed)
    print(json.dumps(counts | {"seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main()
