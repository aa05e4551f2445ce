"""How much does ``import svstate`` cost next to ``import transitions, attrs``?

Each import runs in a fresh interpreter, many times, alternating so that
machine noise falls on both alike; the cost of starting an empty interpreter
is measured the same way and subtracted. Prints the ratio (target <= 1.5)
and checks that neither hypothesis nor boto3/botocore was imported. Run::

    python benchmarks/bench_import.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

CASES = {
    "empty interpreter": "pass",
    "import transitions, attrs": "import transitions, attrs",
    "import svstate": "import svstate",
}


# Installed packages carry compiled bytecode; make sure svstate's is written too (an
# environment with PYTHONDONTWRITEBYTECODE would otherwise compile it on every import).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=ENV)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for code in CASES.values():  # warm up: bytecode written, files in the page cache
        once(code)
    for _ in range(args.runs):
        for name, code in CASES.items():
            times[name].append(once(code))
    base = statistics.median(times["empty interpreter"])
    anchor = statistics.median(times["import transitions, attrs"]) - base
    ours = statistics.median(times["import svstate"]) - base
    for name in CASES:
        print(f"{name:<28}{statistics.median(times[name]) * 1e3:8.1f} ms (median of {args.runs})")
    print(
        f"import svstate / import transitions, attrs (interpreter start subtracted): "
        f"{ours / anchor:.2f} (target <= 1.5)"
    )
    leaked = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, svstate; print(sorted(m for m in ('hypothesis', "
            "'boto3', 'botocore') if m in sys.modules))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"heavy modules imported by svstate: {leaked}")


if __name__ == "__main__":
    main()
