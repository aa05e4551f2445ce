"""What do the guard and the tracker cost, counted in instructions rather than timed?

On a shared machine a timed ratio drifts by several percent from one run to
the next, more than most single changes to svstate move it. Instructions
executed do not drift: this script runs each case in a child process under
valgrind's callgrind, with address space randomisation off and a fixed hash
seed, and counts only the instructions of the calls measured (collection is
switched on inside ``functools.reduce``, through which each measured call is
made, so setup and the work between calls are not counted; the cost of that
wrapper, counted on a call that does nothing, is taken off). The same code
gives the same counts on every run, so a change's effect can be read even
when it is far smaller than the timing noise. Memory layout still moves a
boto3 call's count by up to about 0.5% (a few bytes more in the environment
are enough), so each case is counted under three layouts and the median and
range are printed; the tracker's own cases, counted without botocore around
them, hardly move, and are where a change of a few hundred instructions is
read.

Instructions are not time: the guard's code runs among botocore's, with the
caches cold, so its share of the time (``bench_guard.py``) is larger than
its share of the instructions. The targets stay the timed ones; these counts
show where the instructions go and what a change saves. Needs valgrind
(Debian's package ``valgrind``) and ``setarch`` (util-linux). Run::

    python benchmarks/bench_instructions.py [--calls N]

Prints instructions per call of a Stubber-backed ``create_solution_version``
and ``describe_solution_version``, plain and guarded (as in
``bench_guard.py``), the guard's part split into botocore's dispatch to
three no-op handlers on the same events, ``Tracker.preflight``,
``Tracker.observe`` and the guard's own handlers; and, against botocore's
``ParamValidator`` on the same request, ``Tracker.preflight`` and
``svstate.preflight`` of an UPDATE with a solution and 10 versions (as in
``bench_preflight.py``, minimal facts), allowed and denied.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import functools
import gc
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))

# Each case, by what it counts.
CASES = {
    "nothing": "a call that does nothing (the counting wrapper, taken off the rest)",
    "create-plain": "create_solution_version, plain",
    "create-noop": "create_solution_version, three no-op handlers",
    "create-guarded": "create_solution_version, guarded",
    "describe-plain": "describe_solution_version, plain",
    "describe-guarded": "describe_solution_version, guarded",
    "tracker-preflight": "Tracker.preflight, CreateSolutionVersion FULL",
    "tracker-observe-create": "Tracker.observe, a CreateSolutionVersion response",
    "tracker-observe-describe": "Tracker.observe, a DescribeSolutionVersion response",
    "validator-create": "ParamValidator, the create's request",
    "preflight-allowed": "svstate.preflight, UPDATE, 10 versions, allowed",
    "preflight-denied": "svstate.preflight, UPDATE, 10 versions, denied",
    "validator-update": "ParamValidator, the UPDATE request",
}


def _case(name: str, calls: int) -> tuple[Callable[[int], object], Callable[[int], object]]:
    """The call to count for ``name`` (given the call's index) and the work done,
    uncounted, after each."""
    sys.path.insert(0, HERE)
    import bench_guard as g
    import bench_preflight as p
    from botocore.session import get_session
    from botocore.stub import Stubber

    import svstate
    import svstate.boto

    def nothing(i: int) -> object:
        return None

    tracker = g.tracker_with_solution()
    version, described = g.VERSION, g.described_version()
    create = {"solutionArn": g.SOLUTION, "trainingMode": "FULL"}
    if name == "nothing":
        return nothing, nothing
    operation, _, how = name.partition("-")
    if operation in ("create", "describe"):
        client: Any = g.client()
        if how == "guarded":
            svstate.boto.attach(client, tracker)
        elif how == "noop":
            for event in ("provide-client-params", "after-call", "after-call-error"):
                client.meta.events.register(
                    f"{event}.personalize", g.do_nothing, unique_id=f"bench.{event}"
                )
        stubber = Stubber(client)
        for i in range(calls):
            if operation == "create":
                arn = f"{g.SOLUTION}/{i:08x}"
                stubber.add_response("create_solution_version", {"solutionVersionArn": arn})
            else:
                stubber.add_response("describe_solution_version", described)
        stubber.activate()
        if operation == "create":
            # Each version settles ACTIVE before the next call, as in bench_guard.py.
            return (
                lambda i: client.create_solution_version(**create),
                functools.partial(g.settle_version, tracker),
            )
        return lambda i: client.describe_solution_version(solutionVersionArn=version), nothing
    if name == "tracker-preflight":
        return lambda i: tracker.preflight("CreateSolutionVersion", create), nothing
    if name == "tracker-observe-create":
        responses = [{"solutionVersionArn": f"{g.SOLUTION}/{i:08x}"} for i in range(calls)]
        return (
            lambda i: tracker.observe("CreateSolutionVersion", create, responses[i]),
            functools.partial(g.settle_version, tracker),
        )
    if name == "tracker-observe-describe":
        asked = {"solutionVersionArn": version}
        tracker.observe("DescribeSolutionVersion", asked, described)
        return lambda i: tracker.observe("DescribeSolutionVersion", asked, described), nothing
    from botocore.validate import ParamValidator

    model = get_session().get_service_model("personalize")
    shape = model.operation_model("CreateSolutionVersion").input_shape
    validator = ParamValidator()
    if name == "validator-create":
        return lambda i: validator.validate(create, shape), nothing
    if name == "validator-update":
        return lambda i: validator.validate(p.PARAMS, shape), nothing
    rows = p.versions(10, active_full=name == "preflight-allowed")
    return (
        lambda i: svstate.preflight(
            "CreateSolutionVersion", p.PARAMS, solution=p.SOLUTION_FACT, versions=rows
        ),
        nothing,
    )


def child(name: str, calls: int) -> None:
    """Run one case: a few calls to warm it up, then ``calls`` counted ones."""
    call, after = _case(name, calls + 20)
    for i in range(20):  # first calls fill botocore's and svstate's caches: not counted
        call(i)
        after(i)

    def counted(_: object, i: int) -> object:
        return call(i)

    gc.collect()
    gc.disable()  # a collection's cost depends on all the process holds, not on the call
    for i in range(20, calls + 20):
        functools.reduce(counted, (i,), None)  # callgrind counts inside reduce only
        after(i)


# Bytes of padding in the environment: each size lays the process's memory out a
# little differently, which moves a boto3 call's count by up to about 0.5%.
LAYOUTS = (0, 64, 192)


def count(name: str, calls: int, layout: int) -> float:
    """Instructions per call of case ``name``, counted under callgrind with ``layout``
    bytes of padding in the environment."""
    command = [
        "setarch",
        platform.machine(),
        "-R",
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        "--collect-atstart=no",
        "--toggle-collect=functools_reduce",
        sys.executable,
        os.path.abspath(__file__),
        "--child",
        name,
        "--calls",
        str(calls),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0", "SVSTATE_BENCH_LAYOUT": "x" * layout}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"case {name} failed under valgrind:\n{done.stderr[-2000:]}")
    return int(found.group(1)) / calls


def spread(values: list[int]) -> str:
    """The median of ``values`` and, when they differ, their range."""
    middle = f"{statistics.median(values):,.0f}"
    low, high = min(values), max(values)
    return middle if low == high else f"{middle} ({low:,} to {high:,})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=300, help="calls counted per case")
    parser.add_argument("--child", choices=list(CASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.calls < 1:
        parser.error(f"--calls is {args.calls}; count at least one call")
    if args.child is not None:
        child(args.child, args.calls)
        return
    missing = [tool for tool in ("valgrind", "setarch") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(
            f"{' and '.join(missing)} not found; install Debian's valgrind (and util-linux "
            "for setarch), or time the same cases with bench_guard.py and bench_preflight.py."
        )
    workers = os.cpu_count() or 1
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            (name, layout): pool.submit(count, name, args.calls, layout)
            for name in CASES
            for layout in LAYOUTS
        }
        raw = {key: future.result() for key, future in futures.items()}
    # Per layout: each case less the counting wrapper's cost under the same layout.
    n = {
        name: [round(raw[name, layout] - raw["nothing", layout]) for layout in LAYOUTS]
        for name in CASES
        if name != "nothing"
    }

    def less(a: str, b: str) -> list[int]:
        return [x - y for x, y in zip(n[a], n[b], strict=True)]

    def ratio(a: str, b: str) -> str:
        ratios = sorted(x / y for x, y in zip(n[a], n[b], strict=True))
        low, high = f"{ratios[0]:.3f}", f"{ratios[-1]:.3f}"
        return low if low == high else f"{low} to {high}"

    print(
        f"instructions per call, counted by callgrind (no address randomisation, "
        f"PYTHONHASHSEED=0), the median of {len(LAYOUTS)} memory layouts (their range "
        "where they differ); the same on every run of the same code"
    )
    for name, label in CASES.items():
        if name in n:
            print(f"  {label:<58}{spread(n[name]):>34}")
    for operation in ("create", "describe"):
        plain, guarded = f"{operation}-plain", f"{operation}-guarded"
        print(
            f"guarded / plain {operation}_solution_version: {ratio(guarded, plain)} "
            f"(+{spread(less(guarded, plain))} instructions)"
        )
    handlers = [
        added - floor - pre - seen
        for added, floor, pre, seen in zip(
            less("create-guarded", "create-plain"),
            less("create-noop", "create-plain"),
            n["tracker-preflight"],
            n["tracker-observe-create"],
            strict=True,
        )
    ]
    print(
        f"the guarded create's +{spread(less('create-guarded', 'create-plain'))}: botocore's "
        f"dispatch to three no-op handlers {spread(less('create-noop', 'create-plain'))}, "
        f"Tracker.preflight {spread(n['tracker-preflight'])}, Tracker.observe "
        f"{spread(n['tracker-observe-create'])}, the guard's handlers {spread(handlers)}"
    )
    print(
        "Tracker.preflight / ParamValidator on the same request: "
        f"{ratio('tracker-preflight', 'validator-create')}"
    )
    for case in ("allowed", "denied"):
        print(
            f"svstate.preflight / ParamValidator, UPDATE, 10 versions, {case}: "
            f"{ratio(f'preflight-{case}', 'validator-update')}"
        )


if __name__ == "__main__":
    main()
