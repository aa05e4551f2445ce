"""How big is the state space, and how fast does ``explore`` search it?

For each ruleset, prints states and seconds for bounds 1..10 with the default
reduction (the quotient by what the rules can tell apart), next to the
symmetry reduction (versions as a multiset) while it takes under ``--budget``
seconds. Targets: bound 6 under 1 s and bound 10 under 10 s, in every ruleset
(measured here on 2026-12-07, one run: "latest" bound 6 in 0.79 s and bound 10 in 8.31 s,
the slowest; this VM's speed drifts, so a slower moment takes longer).
Run::

    python benchmarks/bench_explore.py [--ruleset DATE ...] [--max-bound N] [--budget SECONDS]
"""

from __future__ import annotations

import argparse

import svstate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ruleset", nargs="*", default=["2019-10-14", "2021-05-20", "latest"])
    parser.add_argument("--max-bound", type=int, default=10)
    parser.add_argument("--budget", type=float, default=10.0)
    args = parser.parse_args()
    for ruleset in args.ruleset:
        print(f"ruleset {ruleset}")
        print(
            f"{'bound':>5} {'states':>9} {'transitions':>12} {'seconds':>8}   "
            f"{'states (symmetry)':>18} {'seconds':>8}"
        )
        symmetry_done = False
        for bound in range(1, args.max_bound + 1):
            q = svstate.explore(bound, ruleset=ruleset)
            assert q.ok, q.counterexample
            row = f"{bound:>5} {q.states:>9,} {q.transitions:>12,} {q.seconds:>8.2f}   "
            if not symmetry_done and bound <= 8:
                try:
                    sym = svstate.explore(bound, ruleset=ruleset, reduction="symmetry")
                except svstate.SvstateError:
                    symmetry_done = True
                    row += f"{'(refused)':>18}"
                else:
                    assert (sym.ok, sym.reached) == (q.ok, q.reached)
                    row += f"{sym.states:>18,} {sym.seconds:>8.2f}"
                    symmetry_done = sym.seconds > args.budget
            else:
                row += f"{'(skipped)':>18}"
            print(row, flush=True)
        print()


if __name__ == "__main__":
    main()
