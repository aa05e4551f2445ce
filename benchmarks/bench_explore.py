"""How big is the state space, and how fast does ``explore`` search it?

Prints states, transitions and seconds for bounds 1..7, with and without
symmetry reduction, for a ruleset (default the default ruleset, 2019-10-14).
Target: bound 6 with reduction in under 1 second (3.4 s since 0.2: versions may be
created while the solution is being created, which grew the space). Runs without reduction
stop growing the table once one takes over ``--budget`` seconds. Run::

    python benchmarks/bench_explore.py [--ruleset DATE] [--budget SECONDS]
"""

from __future__ import annotations

import argparse

import svstate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ruleset", default="2019-10-14")
    parser.add_argument("--max-bound", type=int, default=7)
    parser.add_argument("--budget", type=float, default=20.0)
    args = parser.parse_args()
    print(f"ruleset {args.ruleset}")
    print(
        f"{'bound':>5} {'states':>9} {'transitions':>12} {'seconds':>8}   "
        f"{'states (no reduction)':>22} {'seconds':>8}"
    )
    plain_done = False
    for bound in range(1, args.max_bound + 1):
        reduced = svstate.explore(bound, ruleset=args.ruleset)
        assert reduced.ok, reduced.counterexample
        row = f"{bound:>5} {reduced.states:>9,} {reduced.transitions:>12,} {reduced.seconds:>8.2f}   "
        if not plain_done:
            plain = svstate.explore(bound, ruleset=args.ruleset, symmetry=False)
            row += f"{plain.states:>22,} {plain.seconds:>8.2f}"
            plain_done = plain.seconds > args.budget
        else:
            row += f"{'(skipped)':>22}"
        print(row)
        if reduced.seconds > args.budget:
            break


if __name__ == "__main__":
    main()
