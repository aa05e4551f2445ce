"""The fast path of preflight and the full evaluation give equal verdicts, always.

The fast path answers a clean ALLOW or SV301's DENY and otherwise defers; these tests check, on
generated facts (mostly clean ones, so that the fast path answers often, and with
mutations that each should make it defer), that whatever it answers is what the full
evaluation answers: decision, findings, missing and ruleset.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dateutil.tz import tzlocal
from hypothesis import HealthCheck, event, given, settings, target
from hypothesis import strategies as st

import svstate
from svstate._catalogue import SOLUTION_OPS
from svstate._fast import CreateSolutionVersionCheck, create_solution_version_check
from svstate._lifecycle import lifecycle_for
from svstate._preflight import allowed_verdict, evaluate
from svstate._rulesets import resolve_ruleset
from svstate.testing import strategies as sst

RULESETS = ("2019-06-10", "2019-10-14", "2020-08-24", "2021-05-20", "2024-04-19", "latest")
RECIPES = (
    "arn:aws:personalize:::recipe/aws-hrnn-coldstart",
    "arn:aws:personalize:::recipe/aws-user-personalization",
    "arn:aws:personalize:::recipe/aws-sims",
)
SOL = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
UTC = dt.UTC
# Zones a timestamp can come in: botocore's own (dateutil's tzlocal), the widest offsets
# Python allows either side of UTC, and a half-hour one.
ZONES = st.sampled_from(
    [
        tzlocal(),
        dt.timezone(dt.timedelta(hours=23, minutes=59)),
        dt.timezone(-dt.timedelta(hours=23, minutes=59)),
        dt.timezone(dt.timedelta(hours=5, minutes=30)),
    ]
)


@st.composite
def calls(draw: st.DrawFn) -> tuple[str, dict[str, Any], Any, Any]:
    """A CreateSolutionVersion call with its facts, clean or with one thing off."""
    ruleset = draw(st.sampled_from(RULESETS))
    rs = resolve_ruleset(ruleset)
    modes = ["FULL", "UPDATE"] if rs.in_force(dt.date(2019, 10, 14)) else [None]
    mode = draw(st.sampled_from([*modes, "AUTOTRAIN", "full", 7]))
    params: dict[str, Any] = {"solutionArn": SOL}
    if mode is not None:
        params["trainingMode"] = mode
    if draw(st.booleans()) and draw(st.booleans()):
        params[draw(st.sampled_from(["name", "tags", "nmae"]))] = draw(
            st.sampled_from(["nightly", [], None])
        )
    created = dt.datetime(2020, 1, 1, tzinfo=UTC)
    solution: Any = {
        "solutionArn": SOL,
        "status": draw(st.sampled_from(["ACTIVE", "ACTIVE", "CREATE PENDING", "CREATE_FAILED"])),
        "recipeArn": draw(st.sampled_from([*RECIPES, *RECIPES, ["x"], {}, None])),
    }
    if draw(st.booleans()):
        solution["creationDateTime"] = draw(
            st.sampled_from([created, created.replace(tzinfo=None), "2020-01-01T00:00:00Z"])
        )
        if isinstance(solution["creationDateTime"], dt.datetime) and draw(st.booleans()):
            solution["creationDateTime"] = solution["creationDateTime"].astimezone(draw(ZONES))
    if draw(st.booleans()):
        solution["performAutoML"] = draw(st.booleans())
    statuses = ["ACTIVE", "CREATE FAILED", "CREATE PENDING", "CREATE IN_PROGRESS"]
    if rs.has_stop:
        statuses += ["CREATE STOPPING", "CREATE STOPPED"]
    statuses += ["CREATE_FAILED", "DELETE PENDING", "RETRAINING"]
    count = draw(st.integers(0, 6))
    ids = draw(
        st.lists(
            st.sampled_from(
                [
                    "0a1b2c3d",
                    "1b2c3d4e",
                    "2c3d4e5f",
                    "3d4e5f60",
                    "4e5f6071",
                    "5f607182",
                    "60718293",
                ]
            ),
            min_size=count,
            max_size=count,
        )
    )
    versions: Any = []
    for vid in ids:
        version: dict[str, Any] = {
            "solutionVersionArn": draw(
                st.sampled_from([f"{SOL}/{vid}"] * 6 + [f"{SOL}-b/{vid}", f"{SOL}/{vid}/x"])
            ),
            "status": draw(st.sampled_from(statuses)),
        }
        fmode = draw(st.sampled_from(["FULL", "FULL", "UPDATE", "AUTOTRAIN", None, "weird"]))
        if fmode is not None:
            version["trainingMode"] = fmode
        if draw(st.booleans()):
            # From days before the solution to weeks after, to the minute: around the
            # three days within which SV507's check computes offsets (none_before).
            when = created + draw(
                st.one_of(
                    st.integers(-2, 30).map(lambda d: dt.timedelta(days=d)),
                    st.integers(-5 * 1440, 5 * 1440).map(lambda m: dt.timedelta(minutes=m)),
                )
            )
            if draw(st.booleans()):
                when = when.astimezone(draw(ZONES))  # the same instant, another local date
            version["creationDateTime"] = draw(
                st.sampled_from([when, when, when.isoformat(), when.replace(tzinfo=None), "junk"])
            )
        if draw(st.booleans()) and draw(st.booleans()):
            version["failureReason"] = draw(st.sampled_from(["Missing column ITEM_ID", 7]))
        versions.append(version)
    if draw(st.booleans()) and draw(st.booleans()) and isinstance(solution, dict):
        latest = dict(draw(st.sampled_from(versions))) if versions else {}
        latest.setdefault("solutionVersionArn", f"{SOL}/7f8e9d0c")
        latest["status"] = draw(
            st.sampled_from([latest.get("status", "ACTIVE"), "ACTIVE", "RETRAINING", ["ACTIVE"]])
        )
        solution["latestSolutionVersion"] = latest
    if draw(st.booleans()) and draw(st.booleans()):
        versions = draw(st.sampled_from([tuple(versions), {"solutionVersions": versions}, None]))
    if draw(st.booleans()) and draw(st.booleans()):
        solution = draw(st.sampled_from([None, {"solution": solution}, "nope"]))
    return ruleset, params, solution, versions


@st.composite
def plain_calls(draw: st.DrawFn) -> tuple[str, dict[str, Any], Any, Any]:
    """A CreateSolutionVersion call with facts as the service gives them (the cases the
    fast path answers, often): versions of every status, some in flight."""
    ruleset = draw(st.sampled_from(RULESETS))
    rs = resolve_ruleset(ruleset)
    params: dict[str, Any] = {"solutionArn": SOL}
    if rs.in_force(dt.date(2019, 10, 14)):
        params["trainingMode"] = draw(st.sampled_from(["FULL", "UPDATE", "UPDATE"]))
    created = dt.datetime(2020, 1, 1, tzinfo=UTC)
    solution: dict[str, Any] = {
        "solutionArn": SOL,
        "status": "ACTIVE",
        "recipeArn": RECIPES[0],
        "creationDateTime": created,
    }
    statuses = [s.value for s in lifecycle_for(rs).statuses]
    versions: list[dict[str, Any]] = []
    for i in range(draw(st.integers(0, 6))):
        version: dict[str, Any] = {
            "solutionVersionArn": f"{SOL}/{i:08x}",
            "status": draw(st.sampled_from([*statuses, "CREATE PENDING", "CREATE IN_PROGRESS"])),
            "trainingMode": draw(st.sampled_from(["FULL", "UPDATE"])),
            "creationDateTime": created + dt.timedelta(hours=draw(st.integers(0, 200))),
        }
        if version["status"] == "CREATE FAILED" and draw(st.booleans()):
            version["failureReason"] = "Missing column ITEM_ID"
        versions.append(version)
    if versions and draw(st.booleans()):
        solution["latestSolutionVersion"] = dict(draw(st.sampled_from(versions)))
    return ruleset, params, solution, versions


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls())
def test_the_fast_path_answers_only_what_the_full_evaluation_answers(
    call: tuple[str, dict[str, Any], Any, Any],
) -> None:
    target(_compare(*call))  # steer towards calls the fast path answers


@settings(max_examples=300, deadline=None)
@given(plain_calls())
def test_on_the_services_own_facts_the_fast_path_answers_as_the_full_evaluation(
    call: tuple[str, dict[str, Any], Any, Any],
) -> None:
    _compare(*call)


def _compare(ruleset: str, params: dict[str, Any], solution: Any, versions: Any) -> float:
    """Check the fast path's answer against the full evaluation's; 1.0 if it answered."""
    rs = resolve_ruleset(ruleset)
    op = "CreateSolutionVersion"
    full = evaluate(op, params, rs, solution, versions, None, None, None, 20)
    fast = CreateSolutionVersionCheck(rs, allowed_verdict(op, rs))(params, solution, versions)
    event(
        "deferred"
        if fast is None
        else f"fast path: {fast.decision.value} {[f.rule for f in fast.findings]}"
    )
    if fast is not None:
        assert fast == full, (fast, full)
    # The shared checker remembers version ARNs and denials across calls: what it
    # remembers from earlier examples must not change a later verdict.
    remembered = create_solution_version_check(rs)(params, solution, versions)
    assert remembered == fast, (remembered, fast)
    assert (
        svstate.preflight(op, params, solution=solution, versions=versions, ruleset=ruleset)
        == full
    )
    return 1.0 if fast is not None else 0.0


def clean_update() -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """A clean UPDATE as boto3 would give its facts: the fast path answers it."""
    solution = {
        "solutionArn": SOL,
        "status": "ACTIVE",
        "recipeArn": RECIPES[0],
        "creationDateTime": dt.datetime(2020, 1, 1, tzinfo=UTC),
    }
    versions = [
        {
            "solutionVersionArn": f"{SOL}/0a1b2c3d",
            "status": "ACTIVE",
            "trainingMode": "FULL",
            "creationDateTime": dt.datetime(2020, 1, 2, tzinfo=UTC),
        },
        {
            "solutionVersionArn": f"{SOL}/1b2c3d4e",
            "status": "CREATE FAILED",
            "trainingMode": "UPDATE",
            "creationDateTime": dt.datetime(2020, 1, 3, tzinfo=UTC),
        },
    ]
    params = {"solutionArn": SOL, "trainingMode": "UPDATE"}
    return params, solution, versions


@pytest.mark.parametrize("ruleset", ["2019-10-14", "latest"])
def test_the_fast_path_answers_the_common_clean_update(ruleset: str) -> None:
    rs = resolve_ruleset(ruleset)
    params, solution, versions = clean_update()
    allowed = allowed_verdict("CreateSolutionVersion", rs)
    assert CreateSolutionVersionCheck(rs, allowed)(params, solution, versions) is allowed


def test_a_full_request_does_not_read_the_modes_of_versions_that_are_not_active() -> None:
    rs = resolve_ruleset("latest")
    params, solution, versions = clean_update()
    params["trainingMode"] = "FULL"
    del versions[1]["trainingMode"]  # a failed version's mode: unsaid, and not needed
    allowed = allowed_verdict("CreateSolutionVersion", rs)
    assert CreateSolutionVersionCheck(rs, allowed)(params, solution, versions) is allowed
    full = evaluate("CreateSolutionVersion", params, rs, solution, versions, None, None, None, 20)
    assert full == allowed


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        (
            lambda v: v[0].update(status="CREATE FAILED"),
            "the newest FULL version, movies/0a1b2c3d",
        ),
        (lambda v: v[0].update(trainingMode="UPDATE", status="CREATE FAILED"), "none of the 2"),
        (  # a failed version of another mode is counted, and named by no rule
            lambda v: (v[0].update(status="CREATE FAILED"), v[1].update(trainingMode="AUTOTRAIN")),
            "the newest FULL version, movies/0a1b2c3d",
        ),
        (lambda v: v.clear(), "solution movies has no versions"),
    ],
)
def test_the_fast_path_denies_the_common_update_without_an_active_full_version(
    change: Any, detail: str
) -> None:
    rs = resolve_ruleset("latest")
    params, solution, versions = clean_update()
    change(versions)
    allowed = allowed_verdict("CreateSolutionVersion", rs)
    fast = CreateSolutionVersionCheck(rs, allowed)(params, solution, versions)
    assert fast is not None
    assert fast.decision is svstate.Decision.DENY
    assert [f.rule for f in fast.findings] == ["SV301"]
    assert detail in fast.findings[0].message
    full = evaluate("CreateSolutionVersion", params, rs, solution, versions, None, None, None, 20)
    assert fast == full


def _in_flight(versions: list[dict[str, Any]], count: int) -> None:
    for i in range(count):
        versions.append(
            {
                "solutionVersionArn": f"{SOL}/f{i:07x}",
                "status": ("CREATE PENDING", "CREATE IN_PROGRESS")[i % 2],
                "trainingMode": "UPDATE",
                "creationDateTime": dt.datetime(2020, 1, 4 + i, tzinfo=UTC),
            }
        )


@pytest.mark.parametrize(
    ("mode", "change", "rules", "shown"),
    [
        ("UPDATE", lambda v: _in_flight(v, 1), ["SV401"], ["f0000000 (CREATE PENDING"]),
        ("FULL", lambda v: _in_flight(v, 2), ["SV401"], ["f0000000", "f0000001"]),
        # SV401 names three of the versions in flight, the first three listed.
        ("UPDATE", lambda v: _in_flight(v, 5), ["SV401"], ["f0000000", "f0000002"]),
        (
            "UPDATE",
            lambda v: v[0].update(status="CREATE IN_PROGRESS"),
            ["SV301", "SV401"],
            ["0a1b2c3d (CREATE IN_PROGRESS"],
        ),
        (
            "UPDATE",
            lambda v: (v[0].update(status="CREATE FAILED"), _in_flight(v, 1)),
            ["SV301", "SV401"],
            ["f0000000 (CREATE PENDING"],
        ),
    ],
)
def test_the_fast_path_answers_with_versions_in_flight(
    mode: str, change: Any, rules: list[str], shown: list[str]
) -> None:
    rs = resolve_ruleset("latest")
    params, solution, versions = clean_update()
    params["trainingMode"] = mode
    change(versions)
    fast = CreateSolutionVersionCheck(rs, allowed_verdict("CreateSolutionVersion", rs))(
        params, solution, versions
    )
    assert fast is not None
    assert [f.rule for f in fast.findings] == rules
    warning = fast.findings[-1].message
    assert all(name in warning for name in shown), warning
    assert "f0000003" not in warning  # never a fourth
    full = evaluate("CreateSolutionVersion", params, rs, solution, versions, None, None, None, 20)
    assert fast == full


@pytest.mark.parametrize(
    "change",
    [
        lambda p, s, v: p.update(trainingMode="AUTOTRAIN"),
        lambda p, s, v: s.update(status="CREATE PENDING"),
        lambda p, s, v: v[0].update(status="CREATE_IN_PROGRESS"),
        lambda p, s, v: v[1].update(status="RETRAINING"),
        lambda p, s, v: v.append(dict(v[0])),
        lambda p, s, v: v[1].update(status="ACTIVE"),
        lambda p, s, v: s.update(creationDateTime=dt.datetime(2020, 2, 1, tzinfo=UTC)),
        lambda p, s, v: v[0].update(solutionVersionArn=f"{SOL}-b/0a1b2c3d"),
        lambda p, s, v: s.update(recipeArn=RECIPES[2]),
        lambda p, s, v: v[0].update(trainingMode=["FULL"]),
        lambda p, s, v: v[1].pop("trainingMode"),  # an UPDATE reads every version's mode
        lambda p, s, v: v[0].update(trainingMode="AUTOTRAIN"),  # ACTIVE, of another mode
    ],
)
def test_each_thing_off_makes_the_fast_path_defer(change: Any) -> None:
    rs = resolve_ruleset("latest")
    params, solution, versions = clean_update()
    change(params, solution, versions)
    allowed = allowed_verdict("CreateSolutionVersion", rs)
    assert CreateSolutionVersionCheck(rs, allowed)(params, solution, versions) is None


def test_what_a_checker_remembers_is_bounded_and_never_changes_a_verdict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import svstate._fast as fast

    monkeypatch.setattr(fast, "_MEMBERS_KEPT", 3)
    monkeypatch.setattr(fast, "_TARGETS_KEPT", 2)
    rs = resolve_ruleset("latest")
    check = CreateSolutionVersionCheck(rs, allowed_verdict("CreateSolutionVersion", rs))
    params, solution, versions = clean_update()
    for i in range(6):  # more version ARNs than it keeps: it forgets, then checks again
        versions.append({**versions[1], "solutionVersionArn": f"{SOL}/{i:08x}"})
        assert check(params, solution, versions) is check.allowed
        assert all(len(m or ()) <= 3 for m in check.targets.values())
    versions.append({**versions[1], "solutionVersionArn": f"{SOL}-b/0000000a"})
    assert check(params, solution, versions) is None  # a foreign ARN is never remembered
    for name in ("a", "b", "c"):  # more solutions than it keeps
        arn = f"{SOL}{name}"
        assert check({"solutionArn": arn}, {**solution, "solutionArn": arn}, []) is check.allowed
        assert len(check.targets) <= 2
    denied = [{**versions[0], "status": "CREATE FAILED"}]
    first = check(params, solution, denied)
    assert first is not None
    assert check(params, solution, denied) is first
    assert check.denials


# -- the Tracker's fast path ---------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(RULESETS[1:]).flatmap(
        lambda rs: st.one_of(
            sst.histories(ruleset=rs, max_steps=12),
            sst.histories(ruleset=rs, legal=False, max_steps=12),
        )
    ),
    st.booleans(),
)
def test_the_trackers_fast_path_agrees_with_its_full_evaluation_at_every_step(
    history: sst.History, inferred_solution: bool
) -> None:
    tracker = svstate.Tracker(ruleset=history.ruleset)
    if inferred_solution:  # the solution's status only inferred, as after CreateSolution
        tracker.observe(
            "CreateSolution",
            {
                "name": "s",
                "recipeArn": RECIPES[0],
                "datasetGroupArn": SOL.replace("solution/movies", "dataset-group/g"),
            },
            {"solutionArn": history.solution_arn},
        )
    requests = [{"solutionArn": history.solution_arn}]
    if resolve_ruleset(history.ruleset).in_force(dt.date(2019, 10, 14)):
        requests += [
            {"solutionArn": history.solution_arn, "trainingMode": m} for m in ("FULL", "UPDATE")
        ]
    for step in history.steps:
        if step.response is not None:
            tracker.observe(step.operation, step.params, step.response)
        for request in requests:
            fast = tracker._fast_create_version(request)
            full = tracker._evaluate("CreateSolutionVersion", request, {})
            event("fast path" if fast is not None else "deferred")
            if fast is not None:
                assert fast == full, (step, request, full)
            assert tracker.preflight("CreateSolutionVersion", request) == full


@st.composite
def any_call(draw: st.DrawFn) -> tuple[str, str, dict[str, Any], Any, Any, Any]:
    """A call of any modelled operation, with facts from :func:`calls`: whatever fast path
    preflight takes for it (today CreateSolutionVersion's) must give the full verdict."""
    ruleset, params, solution, versions = draw(calls())
    operation = draw(st.sampled_from(SOLUTION_OPS))
    version = f"{SOL}/0a1b2c3d"
    if operation == "StopSolutionVersionCreation":
        params = {"solutionVersionArn": draw(st.sampled_from([version, SOL, 3]))}
    elif operation == "CreateCampaign":
        params = {"name": "c", "solutionVersionArn": version, "minProvisionedTPS": 1}
    elif operation == "DeleteSolution":
        params = {"solutionArn": draw(st.sampled_from([SOL, version]))}
    campaigns = draw(
        st.sampled_from([None, [], [{"campaignArn": "c", "status": "ACTIVE"}], "nope"])
    )
    return operation, ruleset, params, solution, versions, campaigns


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_call())
def test_preflight_gives_the_full_evaluations_verdict_for_every_operation_and_ruleset(
    call: tuple[str, str, dict[str, Any], Any, Any, Any],
) -> None:
    operation, ruleset, params, solution, versions, campaigns = call
    rs = resolve_ruleset(ruleset)
    full = evaluate(operation, params, rs, solution, versions, campaigns, None, None, 20)
    verdict = svstate.preflight(
        operation,
        params,
        solution=solution,
        versions=versions,
        campaigns=campaigns,
        ruleset=ruleset,
    )
    assert verdict == full
    assert (verdict.decision, verdict.findings, verdict.missing) == (
        full.decision,
        full.findings,
        full.missing,
    )


# -- the ARN shortcut the Tracker takes for a new version under a known solution ---------------


@given(
    st.sampled_from([SOL, "arn:aws-cn:personalize:cn-north-1:123456789012:solution/a-b_c"]),
    st.text(alphabet="abcdef0123456789-_/ .$LATESTé\n", max_size=12),
    st.integers(0, 200),
)
def test_is_version_under_agrees_with_the_full_arn_check(
    solution: str, segment: str, padding: int
) -> None:
    from svstate._arn import SOLUTION_VERSION, arn_kind, arn_matches, is_version_under

    value = f"{solution}/{'a' * padding}{segment}"
    full = (
        arn_matches(value)
        and arn_kind(value) == SOLUTION_VERSION
        and value.rpartition("/")[0] == solution
    )
    assert is_version_under(value, solution) is full


@pytest.mark.parametrize("ruleset", ["2019-10-14", "latest"])
def test_the_trackers_fast_path_names_the_versions_in_flight_as_the_full_evaluation_does(
    ruleset: str,
) -> None:
    """SV401's warning from the fast path: the newest FULL version first, then the first
    seen, three at most, observed or inferred; the same verdict as the full evaluation."""
    tracker = svstate.Tracker(ruleset=ruleset)
    tracker.observe(
        "DescribeSolution",
        {"solutionArn": SOL},
        {"solution": {"solutionArn": SOL, "status": "ACTIVE", "recipeArn": RECIPES[0]}},
    )
    request = {"solutionArn": SOL}
    for i in range(5):
        tracker.observe("CreateSolutionVersion", request, {"solutionVersionArn": f"{SOL}/{i:08x}"})
    tracker.observe(
        "DescribeSolutionVersion",
        {},
        {
            "solutionVersion": {
                "solutionVersionArn": f"{SOL}/00000004",
                "status": "CREATE IN_PROGRESS",
                "trainingMode": "FULL",
                "creationDateTime": dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
            }
        },
    )
    fast = tracker._fast_create_version(request)
    assert fast is not None
    assert fast == tracker._evaluate("CreateSolutionVersion", request, {})
    assert fast.decision is svstate.Decision.ALLOW
    (finding,) = fast.findings
    assert finding.rule == "SV401"
    # The newest FULL one first: 00000003, the last seen of those created under
    # observation and not yet dated (they rank above 00000004, dated), then the first seen.
    inferred = "(CREATE PENDING, inferred from the CreateSolutionVersion call, not observed)"
    assert f"movies/00000003 {inferred}, movies/00000000 {inferred}, movies/00000001" in (
        finding.message
    )
    assert tracker._fast_create_version(request) is fast  # remembered by what it says
    restored = svstate.Tracker.restore(tracker.snapshot())
    assert restored.preflight("CreateSolutionVersion", request) == fast


# -- observing: the tracker's quick step and its full reading agree -------------------------

_OTHER_SOL = SOL.replace("solution/movies", "solution/books")
_T0 = dt.datetime(2020, 1, 1, tzinfo=UTC)


class _FullReading(svstate.Tracker):
    """A tracker that reads every version observation the full way (``_version_fact``)."""

    def _step_taken(self, fact: dict[Any, Any]) -> None:
        return None


@st.composite
def version_facts(draw: st.DrawFn) -> dict[str, Any]:
    """A version as a response shows it: mostly plain, sometimes with one thing off."""
    sol = draw(st.sampled_from([SOL, SOL, SOL, _OTHER_SOL, "arn:aws:personalize:::nope"]))
    segment = draw(st.sampled_from(["0a", "0a", "0b", "0b", "0c", "0a-b", "", "0a/b", "é1"]))
    fact: dict[str, Any] = {
        "solutionVersionArn": draw(st.sampled_from([f"{sol}/{segment}", f"{sol}/{segment}", 7]))
    }
    fact["status"] = draw(
        st.sampled_from([*(s.value for s in svstate.Status), "active", "NOT A STATUS", None, 3])
    )
    when = st.sampled_from(
        [None, _T0, _T0 + dt.timedelta(minutes=5), _T0.replace(tzinfo=None), "2020-01-01"]
    )
    for key in ("lastUpdatedDateTime", "creationDateTime"):
        if draw(st.booleans()):
            fact[key] = draw(
                st.one_of(
                    when,
                    st.integers(0, 30).map(lambda m: _T0 + dt.timedelta(minutes=m)),
                )
            )
    if draw(st.booleans()):
        fact["trainingMode"] = draw(st.sampled_from(["FULL", "UPDATE", "AUTOTRAIN", "full", 1]))
    if draw(st.booleans()):
        fact["solutionArn"] = draw(st.sampled_from([sol, _OTHER_SOL, SOL, 5]))
    return fact


def _indexes(tracker: svstate.Tracker) -> dict[str, Any]:
    """What a tracker keeps per solution for the fast pre-flight, by ARN."""

    def arn(v: Any) -> str | None:
        return None if v is None else v.arn

    return {
        s.arn: (
            list(s.in_flight),
            arn(s.active_any),
            arn(s.active_full),
            arn(s.active_unknown_mode),
            arn(s.newest_full),
            len(s.members),
        )
        for s in tracker._solutions.values()
    }


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ruleset=st.sampled_from(RULESETS),
    steps=st.lists(
        st.one_of(
            version_facts().map(lambda f: ("DescribeSolutionVersion", {"solutionVersion": f})),
            st.lists(version_facts(), max_size=4).map(
                lambda fs: ("ListSolutionVersions", {"solutionVersions": fs})
            ),
            st.tuples(
                st.just("CreateSolutionVersion"),
                st.fixed_dictionaries(
                    {
                        "solutionVersionArn": st.sampled_from(
                            [f"{SOL}/0a", f"{SOL}/0b", f"{SOL}/0c"]
                        )
                    }
                ),
            ),
        ),
        max_size=25,
    ),
)
def test_the_trackers_quick_step_reads_observations_as_its_full_reading_does(
    ruleset: str, steps: list[tuple[str, dict[str, Any]]]
) -> None:
    quick, full = svstate.Tracker(ruleset=ruleset), _FullReading(ruleset=ruleset)
    for t in (quick, full):  # both solutions held, so new versions take the quick step
        for sol in (SOL, _OTHER_SOL):
            t.observe(
                "DescribeSolution",
                {"solutionArn": sol},
                {"solution": {"solutionArn": sol, "status": "ACTIVE", "recipeArn": RECIPES[0]}},
            )
    taken = []
    step = quick._step_taken

    def counted(fact: dict[str, Any]) -> Any:
        record = step(fact)
        taken.append(record is not None)
        return record

    quick._step_taken = counted  # type: ignore[method-assign]
    for operation, response in steps:
        params = {"solutionArn": SOL, "trainingMode": "UPDATE" if len(taken) % 2 else "FULL"}
        assert quick.observe(operation, params, response) == full.observe(
            operation, params, response
        ), (operation, response)
        assert quick.snapshot() == full.snapshot()
        assert _indexes(quick) == _indexes(full)
        for request in (
            {"solutionArn": SOL},
            {"solutionArn": SOL, "trainingMode": "UPDATE"},
        ):
            assert quick.preflight("CreateSolutionVersion", request) == full.preflight(
                "CreateSolutionVersion", request
            )
    event("quick steps taken" if any(taken) else "no quick step")
    event("full readings" if not all(taken) else "no full reading")


def test_the_quick_step_takes_the_plain_observations_and_leaves_the_rest() -> None:
    t = svstate.Tracker()
    t.observe(
        "DescribeSolution",
        {"solutionArn": SOL},
        {"solution": {"solutionArn": SOL, "status": "ACTIVE", "recipeArn": RECIPES[0]}},
    )
    plain = {
        "solutionVersionArn": f"{SOL}/0a1b",
        "solutionArn": SOL,
        "status": "CREATE PENDING",
        "trainingMode": "FULL",
        "creationDateTime": _T0,
        "lastUpdatedDateTime": _T0,
    }
    assert t._step_taken(plain) is t._versions[f"{SOL}/0a1b"]  # a new version
    later = {**plain, "status": "ACTIVE", "lastUpdatedDateTime": _T0 + dt.timedelta(hours=1)}
    assert t._step_taken(later) is not None  # a legal step
    assert t._solutions[SOL].active_full is t._versions[f"{SOL}/0a1b"]
    for off in (
        {"status": "CREATE PENDING"},  # backwards: SV506 is the full reading's to report
        {"status": "Active"},
        {"lastUpdatedDateTime": _T0},  # older than what is held
        {"lastUpdatedDateTime": "2020-01-01"},
        {"solutionArn": _OTHER_SOL},
        {"solutionVersionArn": f"{_OTHER_SOL}/0a1b"},  # a solution the tracker does not hold
        {"solutionVersionArn": f"{SOL}/0a 1b"},  # not a version ARN: the full reading says so
    ):
        changed = {**later, **off}
        assert t._step_taken(changed) is None, off
    assert t._versions[f"{SOL}/0a1b"].status is svstate.Status.ACTIVE
