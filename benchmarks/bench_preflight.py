"""How much does ``preflight`` cost, next to what a user would otherwise run?

Prints ratios against anchors measured in the same run (never absolute
targets): botocore's own ParamValidator on the same request, transitions'
``may_<trigger>()`` on a bound model, and a hand-written check of the two
UPDATE preconditions. Run::

    python benchmarks/bench_preflight.py [--quick]

Each case runs twice: with the minimal facts the rules need (each version's
ARN, status and mode, the solution's ARN, status and recipe) and with the
facts as boto3 returns them: DescribeSolution's whole ``solution`` (its
creation time and ``latestSolutionVersion`` included) and ListSolutionVersions
summaries whose timestamps botocore parsed into datetimes in dateutil's
``tzlocal()`` (one version a day, the first an hour after the solution). A
boto3 user's facts are the second kind; comparing their timestamps calls
``tzlocal``'s offset, which is Python code. Two cases more have the newest
version in training, as when a pipeline checks while one trains (SV401 warns).

Targets (design.md): with 10 versions, preflight / ParamValidator <= 1.0 and
preflight / hand-written <= 5; with 1,000 versions, cost per version no worse
than with 10 (linear growth).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import timeit
from collections.abc import Callable
from typing import Any

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


SOLUTION_CREATED = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def as_boto3_returns(
    rows: list[dict[str, object]],
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """The same solution and versions as boto3 returns them: DescribeSolution's whole
    ``solution`` and ListSolutionVersions summaries, timestamps parsed by botocore
    (datetimes in dateutil's ``tzlocal()``); the oldest version created an hour after
    the solution, one a day after that."""
    from botocore.utils import parse_timestamp

    def stamp(when: dt.datetime) -> Any:
        return parse_timestamp(when.timestamp())

    n = len(rows)
    summaries = []
    for i, row in enumerate(rows):  # newest first
        created = SOLUTION_CREATED + dt.timedelta(hours=1, days=n - 1 - i)
        summaries.append(
            {
                "solutionVersionArn": row["solutionVersionArn"],
                "status": row["status"],
                "trainingMode": row["trainingMode"],
                "trainingType": "MANUAL",
                "creationDateTime": stamp(created),
                "lastUpdatedDateTime": stamp(created + dt.timedelta(hours=2)),
                **({"failureReason": "Insufficient data"} if row["status"] != "ACTIVE" else {}),
            }
        )
    latest = summaries[0]
    solution = {
        **SOLUTION_FACT,
        "name": "movies",
        "performHPO": False,
        "performAutoML": False,
        "datasetGroupArn": "arn:aws:personalize:us-east-1:123456789012:dataset-group/movies",
        "solutionConfig": {},
        "creationDateTime": stamp(SOLUTION_CREATED),
        "lastUpdatedDateTime": stamp(SOLUTION_CREATED + dt.timedelta(minutes=1)),
        "latestSolutionVersion": {
            key: latest[key]
            for key in (
                "solutionVersionArn",
                "status",
                "trainingMode",
                "creationDateTime",
                "lastUpdatedDateTime",
            )
        },
    }
    return solution, summaries


CASES = [(10, True, False), (10, False, False), (1_000, True, False), (1_000, False, False)]
CASES += [(10, True, True), (10, False, True)]
FACTS = {
    "minimal": "facts: the minimal ones the rules read",
    "boto3": "facts: as boto3 returns them (the whole solution, timestamps parsed by botocore)",
}


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
        f"{'case':<46}{'us/call':>9}{'/ParamValidator':>17}{'/may_start':>12}{'/hand-written':>15}"
    )
    results = {}
    for facts in ("minimal", "boto3"):
        print(FACTS[facts])
        # (versions, allowed, the newest in flight): SV401 warns on the last two
        for n, allowed, busy in CASES:
            rows = versions(n, active_full=allowed)
            if busy:
                rows[0]["status"] = "CREATE IN_PROGRESS"
            solution: dict[str, object] = SOLUTION_FACT
            if facts == "boto3":
                solution, rows = as_boto3_returns(rows)
            calls = number if n == 10 else max(number // 50, 50)

            def call(
                rows: list[dict[str, object]] = rows, solution: dict[str, object] = solution
            ) -> svstate.Verdict:
                return svstate.preflight(
                    "CreateSolutionVersion", PARAMS, solution=solution, versions=rows
                )

            def hand(
                rows: list[dict[str, object]] = rows, solution: dict[str, object] = solution
            ) -> bool:
                return hand_written(PARAMS, solution, rows)

            verdict = call()
            expected = svstate.Decision.ALLOW if allowed else svstate.Decision.DENY
            assert verdict.decision is expected, verdict
            cost, pv, may, by_hand = interleaved(
                [call, anchor_pv, anchor_may, hand], repeat, [calls, number, number, calls]
            )
            results[facts, n, allowed, busy] = cost
            label = f"UPDATE, {n:>5} versions, {'allowed' if allowed else 'denied'}"
            label += ", 1 in flight" if busy else ""
            print(
                f"{label:<46}{cost * 1e6:>9.2f}{cost / pv:>17.2f}"
                f"{cost / may:>12.2f}{cost / by_hand:>15.2f}"
                f"   (ParamValidator {pv * 1e6:.2f} us)"
            )
    for facts in ("minimal", "boto3"):
        for allowed in (True, False):
            growth = results[facts, 1_000, allowed, False] / results[facts, 10, allowed, False]
            print(
                f"growth 10 -> 1,000 versions ({facts} facts, "
                f"{'allowed' if allowed else 'denied'}): "
                f"x{growth:.1f} for x100 the versions (linear or better when <= 100)"
            )


if __name__ == "__main__":
    main()
