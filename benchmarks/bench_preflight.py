"""How much does ``preflight`` cost, next to what a user would otherwise run?

Prints ratios against anchors measured in the same run (never absolute
targets): botocore's own ParamValidator on the same request, transitions'
``may_<trigger>()`` on a bound model, and a hand-written check of the two
UPDATE preconditions. Run::

    python benchmarks/bench_preflight.py [--quick]

Targets (design.md): with 10 versions, preflight / ParamValidator <= 1.0 and
preflight / hand-written <= 5; with 1,000 versions, cost per version no worse
than with 10 (linear growth).
"""

from __future__ import annotations

import argparse
import statistics
import timeit
from collections.abc import Callable

import svstate

SOLUTION = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
PARAMS = {"solutionArn": SOLUTION, "trainingMode": "UPDATE"}
SOLUTION_FACT = {"solutionArn": SOLUTION, "status": "ACTIVE", "recipeArn": HRNN}


def versions(n: int, *, active_full: bool) -> list[dict[str, object]]:
    """n ListSolutionVersions summaries, newest first; one ACTIVE FULL at the end if asked."""
    out: list[dict[str, object]] = []
    for i in range(n):
        last = i == n - 1
        out.append(
            {
                "solutionVersionArn": f"{SOLUTION}/{i:08x}",
                "status": "ACTIVE" if last and active_full else "CREATE FAILED",
                "trainingMode": "FULL" if last else "UPDATE",
                "creationDateTime": f"2020-01-{1 + i % 28:02d}T00:00:00+00:00",
                "lastUpdatedDateTime": f"2020-01-{1 + i % 28:02d}T01:00:00+00:00",
            }
        )
    return out


def hand_written(
    params: dict[str, object], solution: dict[str, object], rows: list[dict[str, object]]
) -> bool:
    """What a careful user writes by hand: the two UPDATE preconditions, nothing else."""
    if params.get("trainingMode") != "UPDATE":
        return True
    if solution.get("recipeArn") != HRNN:
        return False
    return any(v.get("status") == "ACTIVE" and v.get("trainingMode") == "FULL" for v in rows)


def interleaved(fns: list[Callable[[], object]], repeat: int, numbers: list[int]) -> list[float]:
    """Median seconds per call of each of ``fns``, their runs taken in turn (a run of
    ``numbers[i]`` calls of each), so that every ratio compares like with like on a
    machine whose speed drifts."""
    runs: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, (fn, number) in enumerate(zip(fns, numbers, strict=True)):
            runs[i].append(timeit.timeit(fn, number=number) / number)
    return [statistics.median(r) for r in runs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (noisier)")
    args = parser.parse_args()
    repeat, number = (5, 2_000) if args.quick else (9, 10_000)

    from botocore.session import get_session
    from botocore.validate import ParamValidator
    from transitions import Machine

    shape = (
        get_session()
        .get_service_model("personalize")
        .operation_model("CreateSolutionVersion")
        .input_shape
    )
    validator = ParamValidator()

    class Model:
        pass

    model = Model()
    Machine(
        model=model,
        states=["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"],
        transitions=[["start", "CREATE PENDING", "CREATE IN_PROGRESS"]],
        initial="CREATE PENDING",
        auto_transitions=False,
    )

    def anchor_pv() -> object:
        return validator.validate(PARAMS, shape)

    def anchor_may() -> object:
        return model.may_start()  # type: ignore[attr-defined]

    print(
        "each case is timed in turn with its anchors (ParamValidator on the same request, "
        "transitions' may_start(), the hand-written check), so each ratio is of one moment"
    )
    print(
        f"{'case':<34}{'us/call':>9}{'/ParamValidator':>17}{'/may_start':>12}{'/hand-written':>15}"
    )
    results = {}
    for n in (10, 1_000):
        for allowed in (True, False):
            rows = versions(n, active_full=allowed)
            calls = number if n == 10 else max(number // 50, 50)

            def call(rows: list[dict[str, object]] = rows) -> svstate.Verdict:
                return svstate.preflight(
                    "CreateSolutionVersion", PARAMS, solution=SOLUTION_FACT, versions=rows
                )

            def hand(rows: list[dict[str, object]] = rows) -> bool:
                return hand_written(PARAMS, SOLUTION_FACT, rows)

            verdict = call()
            expected = svstate.Decision.ALLOW if allowed else svstate.Decision.DENY
            assert verdict.decision is expected, verdict
            cost, pv, may, by_hand = interleaved(
                [call, anchor_pv, anchor_may, hand], repeat, [calls, number, number, calls]
            )
            results[n, allowed] = cost
            label = f"UPDATE, {n:>5} versions, {'allowed' if allowed else 'denied'}"
            print(
                f"{label:<34}{cost * 1e6:>9.2f}{cost / pv:>17.2f}"
                f"{cost / may:>12.2f}{cost / by_hand:>15.2f}"
                f"   (ParamValidator {pv * 1e6:.2f} us)"
            )
    for allowed in (True, False):
        growth = results[1_000, allowed] / results[10, allowed]
        print(
            f"growth 10 -> 1,000 versions ({'allowed' if allowed else 'denied'}): "
            f"x{growth:.1f} for x100 the versions (linear or better when <= 100)"
        )


if __name__ == "__main__":
    main()
