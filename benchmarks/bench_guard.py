"""What does the boto3 guard add to a real client call?

A ``create_solution_version`` call on a boto3 client whose responses come
from botocore's Stubber (no network): the whole client-side cost of a call,
with and without ``svstate.boto.attach``, the two clients' calls interleaved
one by one in one run (so a noisy machine slows both alike); medians of each.
The guard's work per call is a pre-flight from the tracker and one
observation of the response; a ``describe_solution_version`` call is only
observed (its response carries both timestamps, as botocore parses them).
Target: at most 5% added to either. Run::

    python benchmarks/bench_guard.py [--calls N] [--rounds R] [--split]

With ``--split`` it also prints, for the create and the describe, the median
time spent inside ``Tracker.preflight`` and ``Tracker.observe`` during the
guarded calls, timed call by call in the same process (each wrapped, so each
figure includes about 0.1-0.3 us of the wrapper's own timing), next to the
same work in a tight loop of its own: the guard's work costs several times
more inside a real call, whose other work leaves the caches cold.
"""

from __future__ import annotations

import argparse
import statistics
import time
import types
from typing import Any

import boto3
from botocore.stub import Stubber
from botocore.utils import parse_timestamp

import svstate
import svstate.boto

SOLUTION = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"


def client() -> object:
    return boto3.client(
        "personalize",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def tracker_with_solution() -> svstate.Tracker:
    """A tracker that has seen the solution ACTIVE, with HRNN-Coldstart."""
    tracker = svstate.Tracker()
    tracker.observe(
        "DescribeSolution",
        {"solutionArn": SOLUTION},
        {"solution": {"solutionArn": SOLUTION, "status": "ACTIVE", "recipeArn": HRNN}},
    )
    return tracker


def settle_version(tracker: svstate.Tracker, i: int) -> None:
    """Observe version ``i`` ACTIVE, as a pipeline that waits for training would."""
    tracker.observe(
        "DescribeSolutionVersion",
        None,
        {
            "solutionVersion": {
                "solutionVersionArn": f"{SOLUTION}/{i:08x}",
                "status": "ACTIVE",
                "trainingMode": "FULL",
            }
        },
    )


VERSION = f"{SOLUTION}/0a1b2c3d"


def described_version() -> dict[str, object]:
    """DescribeSolutionVersion's response for an ACTIVE FULL version, its timestamps as
    botocore parses the JSON's epoch seconds (dateutil's tzlocal)."""
    return {
        "solutionVersion": {
            "solutionVersionArn": VERSION,
            "solutionArn": SOLUTION,
            "status": "ACTIVE",
            "trainingMode": "FULL",
            "creationDateTime": parse_timestamp(1577836800.0),
            "lastUpdatedDateTime": parse_timestamp(1577840400.0),
        }
    }


def paired(
    plain: Any, guarded: Any, calls: int, operation: str, settle: svstate.Tracker | None = None
) -> tuple[list[float], list[float]]:
    """Seconds per stubbed call, plain and guarded, the two clients' calls interleaved
    one by one (the order swapped every call), so both see the same machine.

    ``operation`` is ``"create"`` (create_solution_version) or ``"describe"``
    (describe_solution_version of an ACTIVE FULL version). With ``settle``, each new
    version is observed ACTIVE after its call and outside the timed window, as in a
    pipeline that waits for training: no version is in flight when the next call is
    checked. Without it, versions pile up in CREATE PENDING and every check also
    warns (SV401).
    """
    version, body = VERSION, described_version()
    times: dict[int, list[float]] = {id(plain): [], id(guarded): []}
    clock = time.perf_counter
    with Stubber(plain) as stub_plain, Stubber(guarded) as stub_guarded:
        for stubber in (stub_plain, stub_guarded):
            for i in range(calls):
                if operation == "create":
                    stubber.add_response(
                        "create_solution_version", {"solutionVersionArn": f"{SOLUTION}/{i:08x}"}
                    )
                else:
                    stubber.add_response("describe_solution_version", body)
        for i in range(calls):
            for c in (plain, guarded) if i % 2 else (guarded, plain):
                start = clock()
                if operation == "create":
                    c.create_solution_version(solutionArn=SOLUTION, trainingMode="FULL")
                else:
                    c.describe_solution_version(solutionVersionArn=version)
                times[id(c)].append(clock() - start)
            if settle is not None:
                settle_version(settle, i)
    return times[id(plain)], times[id(guarded)]


def report(label: str, plain: list[float], guarded: list[float], target: bool = True) -> None:
    b, g = statistics.median(plain), statistics.median(guarded)
    print(
        f"{label}: {b * 1e6:.0f} us plain, {g * 1e6:.0f} us guarded: "
        f"+{(g / b - 1) * 100:.1f}%{' (target <= 5%)' if target else ''}, "
        f"{(g - b) * 1e6:.1f} us per call"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--split", action="store_true", help="also time the tracker's work inside the calls"
    )
    args = parser.parse_args()
    for settled in (True, False):
        plain, guarded = client(), client()
        tracker = tracker_with_solution()
        guard = svstate.boto.attach(guarded, tracker)
        settle = tracker if settled else None
        base, with_guard = rounds(plain, guarded, args, "create", settle)
        assert guard.last_verdict is not None
        assert guard.last_verdict.decision is svstate.Decision.ALLOW
        case = (
            "no version in flight"
            if settled
            else "versions piling up in flight (SV401 warns on every call)"
        )
        report(f"Stubber-backed create_solution_version, {case}", base, with_guard)
    plain, guarded = client(), client()
    svstate.boto.attach(guarded, svstate.Tracker())
    base, with_guard = rounds(plain, guarded, args, "describe")
    report("Stubber-backed describe_solution_version (observed, not checked)", base, with_guard)
    # The floor any guard on botocore's events pays: three handlers that do nothing,
    # registered on the events the guard uses.
    plain, nooped = client(), client()
    for event in ("provide-client-params", "after-call", "after-call-error"):
        nooped.meta.events.register(  # type: ignore[attr-defined]
            f"{event}.personalize", do_nothing, unique_id=f"bench.{event}"
        )
    base, with_guard = rounds(plain, nooped, args, "create")
    report(
        "anchor: the same create with three no-op handlers on those events",
        base,
        with_guard,
        target=False,
    )
    if args.split:
        for operation in ("create", "describe"):
            split(operation, args)


def split(operation: str, args: argparse.Namespace) -> None:
    """The medians of ``Tracker.preflight`` and ``Tracker.observe`` inside guarded calls,
    and of the last such call repeated on the same tracker in a tight loop (the same
    work, except a create's observation: repeated, it finds the version held)."""
    plain, guarded = client(), client()
    tracker = tracker_with_solution()
    svstate.boto.attach(guarded, tracker)
    spent: dict[str, list[int]] = {"preflight": [], "observe": []}
    clock = time.perf_counter_ns
    preflight, observe = tracker.preflight, tracker.observe
    last: dict[str, tuple[Any, ...]] = {}

    def timed_preflight(op: str, params: Any) -> svstate.Verdict:
        start = clock()
        verdict = preflight(op, params)
        spent["preflight"].append(clock() - start)
        last["preflight"] = (op, params)
        return verdict

    def timed_observe(op: str, params: Any, parsed: Any) -> svstate.Verdict:
        start = clock()
        verdict = observe(op, params, parsed)
        spent["observe"].append(clock() - start)
        last["observe"] = (op, params, parsed)
        return verdict

    tracker.preflight = timed_preflight  # type: ignore[method-assign]
    tracker.observe = timed_observe  # type: ignore[method-assign]
    # Settling (outside the timed window) feeds the tracker unwrapped, so only the
    # guard's own calls are timed.
    settle: Any = types.SimpleNamespace(observe=observe) if operation == "create" else None
    rounds(plain, guarded, args, operation, settle)
    tracker.preflight, tracker.observe = preflight, observe  # type: ignore[method-assign]
    parts = []
    for name, times in spent.items():
        if not times:
            continue
        inside = statistics.median(times) / 1e3
        if operation == "create" and name == "observe":
            # observed again, a created version is already held: not the same work
            parts.append(f"{name} {inside:.2f} us in the call")
            continue
        again = getattr(tracker, name)
        call = last[name]
        alone = []
        for _ in range(5):
            start = clock()
            for _ in range(1000):
                again(*call)
            alone.append((clock() - start) / 1000 / 1e3)
        parts.append(f"{name} {inside:.2f} us in the call, {min(alone):.2f} us in a loop")
    print(f"split, {operation}: " + "; ".join(parts))


def rounds(
    plain: Any,
    guarded: Any,
    args: argparse.Namespace,
    operation: str,
    settle: svstate.Tracker | None = None,
) -> tuple[list[float], list[float]]:
    """Both clients warmed up, then ``args.rounds`` runs of :func:`paired`, pooled."""
    paired(plain, guarded, 200, operation, settle)
    base: list[float] = []
    with_guard: list[float] = []
    for _ in range(args.rounds):
        p, g = paired(plain, guarded, args.calls, operation, settle)
        base += p
        with_guard += g
    return base, with_guard


def do_nothing(**_: Any) -> None:
    """A botocore event handler that does nothing (the dispatch floor)."""


if __name__ == "__main__":
    main()
