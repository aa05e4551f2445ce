"""``svstate.replay``: a recorded trace checked against the model.

Traces are recorded by driving ``svstate.testing.fake_personalize`` (a real
boto3 client answered by the model) and dumping each call as one JSON line:
operation, params, the parsed response or the error, and the time, with
datetimes written by ``json.dumps(default=str)``. Illegal steps the fake would
never produce are written by hand.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

import svstate
from svstate import IllegalStep, Replay, SvstateError, partition_key
from svstate.testing import FakeClock, fake_personalize

ACCOUNT = "123456789012"
PREFIX = f"arn:aws:personalize:us-east-1:{ACCOUNT}:"
DATASET_GROUP = f"{PREFIX}dataset-group/movies"
HRNN_COLDSTART = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
USER_PERSONALIZATION = "arn:aws:personalize:::recipe/aws-user-personalization"
SIMS = "arn:aws:personalize:::recipe/aws-sims"
RULESET = "2021-05-20"

SOL_A = f"{PREFIX}solution/a"
SOL_B = f"{PREFIX}solution/b"


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


class Recorder:
    """Calls a fake Personalize client and keeps each call as one JSON line."""

    def __init__(self, ruleset: str = RULESET):
        self.clock = FakeClock()
        self.client = fake_personalize(clock=self.clock, ruleset=ruleset)
        self.lines: list[str] = []

    def __call__(self, operation: str, **params: Any) -> dict[str, Any]:
        event: dict[str, Any] = {"operation": operation, "params": params}
        try:
            response = getattr(self.client, _snake(operation))(**params)
        except ClientError as error:
            event["error"] = {
                "Code": error.response["Error"]["Code"],
                "Message": error.response["Error"]["Message"],
            }
        else:
            response.pop("ResponseMetadata", None)
            event["response"] = response
        event["time"] = self.clock.now()
        self.lines.append(json.dumps(event, default=str))
        return event

    def add(self, line: str) -> int:
        """Append a hand-written line; its line number."""
        self.lines.append(line)
        return len(self.lines)

    def create_solution(self, name: str, recipe: str) -> str:
        event = self("CreateSolution", name=name, datasetGroupArn=DATASET_GROUP, recipeArn=recipe)
        return event["response"]["solutionArn"]

    def create_version(self, solution: str, mode: str) -> str | None:
        event = self("CreateSolutionVersion", solutionArn=solution, trainingMode=mode)
        return event.get("response", {}).get("solutionVersionArn")


def line(operation: str, params: dict[str, Any], **outcome: Any) -> str:
    return json.dumps({"operation": operation, "params": params, **outcome})


def describe_version(arn: str, status: str, updated: str, mode: str = "FULL") -> str:
    fact = {
        "solutionVersionArn": arn,
        "solutionArn": arn.rpartition("/")[0],
        "status": status,
        "trainingMode": mode,
        "creationDateTime": "2020-01-01T00:00:00Z",
        "lastUpdatedDateTime": updated,
    }
    return line(
        "DescribeSolutionVersion",
        {"solutionVersionArn": arn},
        response={"solutionVersion": fact},
    )


def active_solution(arn: str = SOL_A, recipe: str = HRNN_COLDSTART) -> list[str]:
    """Lines that show a new, ACTIVE solution with no versions."""
    return [
        line(
            "CreateSolution",
            {
                "name": arn.rpartition("/")[2],
                "datasetGroupArn": DATASET_GROUP,
                "recipeArn": recipe,
            },
            response={"solutionArn": arn},
        ),
        line(
            "DescribeSolution",
            {"solutionArn": arn},
            response={"solution": {"solutionArn": arn, "status": "ACTIVE", "recipeArn": recipe}},
        ),
    ]


def legal_trace() -> Recorder:
    """One solution through a whole, legal life: FULL, UPDATE, a stop, a campaign."""
    rec = Recorder()
    sol = rec.create_solution("movies", HRNN_COLDSTART)
    rec("DescribeSolution", solutionArn=sol)
    rec.clock.advance(3600)
    rec("DescribeSolution", solutionArn=sol)
    full = rec.create_version(sol, "FULL")
    assert full is not None
    rec("DescribeSolutionVersion", solutionVersionArn=full)
    rec.clock.advance(400)
    rec("DescribeSolutionVersion", solutionVersionArn=full)
    rec.clock.advance(4000)
    rec("DescribeSolutionVersion", solutionVersionArn=full)
    assert rec.create_version(sol, "UPDATE") is not None
    third = rec.create_version(sol, "FULL")
    assert third is not None
    rec("StopSolutionVersionCreation", solutionVersionArn=third)
    rec("ListSolutionVersions", solutionArn=sol)
    rec("CreateCampaign", name="movies", solutionVersionArn=full, minProvisionedTPS=1)
    rec("ListCampaigns", solutionArn=sol)
    rec("DescribeSolutionVersion", solutionVersionArn=f"{sol}/deadbeef")  # refused: not found
    rec.clock.advance(10_000)
    rec("ListSolutionVersions", solutionArn=sol)
    rec("ListCampaigns", solutionArn=sol)
    return rec


# -- legal traces --------------------------------------------------------------------------


def test_a_legal_recorded_trace_replays_ok() -> None:
    rec = legal_trace()
    report = svstate.replay(rec.lines, ruleset=RULESET)
    assert report.ok, report.illegal
    assert report.illegal == {}
    assert report.skipped == ()
    assert report.lines == report.calls == len(rec.lines)
    assert report.denied == 0
    assert report.refused == len(rec.client.fake.refused) == 1


def test_the_recorded_trace_is_what_the_fake_answered() -> None:
    rec = legal_trace()
    events = [json.loads(text) for text in rec.lines]
    assert [e["operation"] for e in events][:4] == [
        "CreateSolution",
        "DescribeSolution",
        "DescribeSolution",
        "CreateSolutionVersion",
    ]
    assert events[1]["response"]["solution"]["status"] == "CREATE PENDING"
    assert events[2]["response"]["solution"]["status"] == "ACTIVE"
    statuses = [
        e["response"]["solutionVersion"]["status"]
        for e in events
        if e["operation"] == "DescribeSolutionVersion" and "response" in e
    ]
    assert statuses == ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"]
    assert isinstance(events[0]["time"], str)  # a datetime, as json.dumps(default=str) wrote it


def test_event_dicts_and_bytes_replay_like_lines() -> None:
    lines = legal_trace().lines
    expected = svstate.replay(lines, ruleset=RULESET)
    assert svstate.replay([json.loads(t) for t in lines], ruleset=RULESET) == expected
    assert svstate.replay([t.encode() for t in lines], ruleset=RULESET) == expected
    assert svstate.replay(iter(lines), ruleset=RULESET) == expected  # one pass is enough


def test_an_empty_trace() -> None:
    report = svstate.replay([])
    assert report == Replay()
    assert report.ok
    assert report.to_dict() == {
        "lines": 0,
        "calls": 0,
        "denied": 0,
        "refused": 0,
        "illegal": [],
        "skipped": [],
    }


# -- illegal calls -------------------------------------------------------------------------


def test_an_update_before_an_active_full_version_refused_by_the_service() -> None:
    rec = Recorder()
    sol = rec.create_solution("movies", HRNN_COLDSTART)
    rec.clock.advance(3600)
    rec("DescribeSolution", solutionArn=sol)
    full = rec.create_version(sol, "FULL")
    rec.clock.advance(400)
    rec("DescribeSolutionVersion", solutionVersionArn=full)
    assert rec.create_version(sol, "UPDATE") is None  # the fake refuses it
    number = len(rec.lines)
    report = svstate.replay(rec.lines, ruleset=RULESET)
    assert not report.ok
    assert list(report.illegal) == [sol]
    step = report.illegal[sol]
    assert step == IllegalStep(number, sol, "CreateSolutionVersion", "SV301", step.reason)
    assert "ACTIVE FULL" in step.reason
    assert step.reason.endswith("(the service refused it)")
    assert (report.denied, report.refused, report.calls) == (1, 1, number)


def test_an_update_before_an_active_full_version_accepted_by_the_service() -> None:
    version = f"{SOL_A}/0000000a"
    lines = [
        *active_solution(),
        line(
            "CreateSolutionVersion",
            {"solutionArn": SOL_A, "trainingMode": "UPDATE"},
            response={"solutionVersionArn": version},
        ),
    ]
    report = svstate.replay(lines)
    assert report.illegal == {
        SOL_A: IllegalStep(
            3, SOL_A, "CreateSolutionVersion", "SV301", report.illegal[SOL_A].reason
        )
    }
    assert report.illegal[SOL_A].reason.endswith("(the service accepted it)")
    assert (report.denied, report.refused) == (1, 0)


def test_an_update_with_a_recipe_that_lacks_it() -> None:
    full = describe_version(f"{SOL_A}/0000000a", "ACTIVE", "2020-01-01T01:00:00Z")
    listing = json.loads(full)["response"]["solutionVersion"]
    lines = [
        *active_solution(recipe=SIMS),
        line(
            "ListSolutionVersions",
            {"solutionArn": SOL_A},
            response={"solutionVersions": [listing]},
        ),
        line(
            "CreateSolutionVersion",
            {"solutionArn": SOL_A, "trainingMode": "UPDATE"},
            error={"Code": "InvalidInputException", "Message": "no"},
        ),
    ]
    step = svstate.replay(lines).illegal[SOL_A]
    assert (step.line, step.rule) == (4, "SV302")
    assert "aws-sims" in step.reason


def test_a_campaign_on_a_version_in_training_is_reported_under_the_version() -> None:
    rec = Recorder()
    sol = rec.create_solution("movies", HRNN_COLDSTART)
    rec.clock.advance(3600)
    rec("DescribeSolution", solutionArn=sol)
    full = rec.create_version(sol, "FULL")
    assert full is not None
    rec("CreateCampaign", name="c", solutionVersionArn=full, minProvisionedTPS=1)
    # Right after CreateSolutionVersion the version's status is only inferred: not judged.
    assert svstate.replay(rec.lines, ruleset=RULESET).illegal == {}
    rec("DescribeSolutionVersion", solutionVersionArn=full)
    rec("CreateCampaign", name="c", solutionVersionArn=full, minProvisionedTPS=1)
    report = svstate.replay(rec.lines, ruleset=RULESET)
    assert list(report.illegal) == [full]
    assert (report.illegal[full].line, report.illegal[full].rule) == (len(rec.lines), "SV701")


def test_only_the_first_illegal_step_of_each_resource_is_kept() -> None:
    version = f"{SOL_A}/0000000a"
    update = line(
        "CreateSolutionVersion",
        {"solutionArn": SOL_A, "trainingMode": "UPDATE"},
        error={"Code": "InvalidInputException", "Message": "no"},
    )
    lines = [
        *active_solution(),
        *active_solution(SOL_B)[:1],  # solution b exists but is CREATE PENDING
        update,  # 4: illegal (SV301)
        describe_version(version, "ACTIVE", "2020-01-01T01:00:00Z"),
        describe_version(version, "CREATE FAILED", "2020-01-01T02:00:00Z"),  # 6: illegal
        update,  # 7: illegal again for a: not kept
        line(
            "CreateSolutionVersion",
            {"solutionArn": SOL_B, "trainingMode": "UPDATE"},
            error={"Code": "InvalidInputException", "Message": "no FULL version"},
        ),  # 8: illegal for b (SV301: a new solution has no versions)
        describe_version(version, "CREATE PENDING", "2020-01-01T03:00:00Z"),  # 9: not kept
    ]
    report = svstate.replay(lines)
    found = {arn: (s.line, s.rule, s.operation) for arn, s in report.illegal.items()}
    assert found == {
        SOL_A: (4, "SV301", "CreateSolutionVersion"),
        version: (6, "SV501", "DescribeSolutionVersion"),
        SOL_B: (8, "SV301", "CreateSolutionVersion"),
    }
    assert list(report.illegal) == sorted(report.illegal)
    assert (report.lines, report.calls, report.denied, report.refused) == (9, 9, 3, 3)


# -- illegal observations ------------------------------------------------------------------


def test_active_then_failed_is_illegal() -> None:
    version = f"{SOL_A}/0000000a"
    lines = [
        describe_version(version, "ACTIVE", "2020-01-01T01:00:00Z"),
        describe_version(version, "CREATE FAILED", "2020-01-01T02:00:00Z"),
    ]
    report = svstate.replay(lines)
    assert report.illegal == {
        version: IllegalStep(
            2, version, "DescribeSolutionVersion", "SV501", report.illegal[version].reason
        )
    }
    assert "ACTIVE" in report.illegal[version].reason
    assert "CREATE FAILED" in report.illegal[version].reason
    assert (report.denied, report.refused) == (0, 0)


@pytest.mark.parametrize("updated", ["2020-01-01T02:00:00Z", "2020-01-01T00:30:00Z"])
def test_active_then_in_progress_is_stale_not_illegal(updated: str) -> None:
    version = f"{SOL_A}/0000000a"
    lines = [
        describe_version(version, "ACTIVE", "2020-01-01T01:00:00Z"),
        describe_version(version, "CREATE IN_PROGRESS", updated),
    ]
    assert svstate.replay(lines).ok
    # ... and it does not move the version backwards: a failure afterwards is still illegal.
    lines.append(describe_version(version, "CREATE FAILED", "2020-01-01T03:00:00Z"))
    assert svstate.replay(lines).illegal[version].line == 3


def test_legal_observations_with_missed_steps_are_ok() -> None:
    version = f"{SOL_A}/0000000a"
    lines = [
        describe_version(version, "CREATE PENDING", "2020-01-01T00:00:00Z"),
        describe_version(version, "ACTIVE", "2020-01-01T02:00:00Z"),  # polling missed a step
        describe_version(version, "ACTIVE", "2020-01-01T02:00:00Z"),
    ]
    assert svstate.replay(lines).ok


@pytest.mark.parametrize("via", ["ListSolutionVersions", "DescribeSolution"])
def test_an_illegal_observation_is_reported_under_its_version(via: str) -> None:
    """Replay reports per version: an illegal change seen in a listing (or in a solution's
    latestSolutionVersion) belongs to that version, and two versions keep two entries."""
    versions = {SOL_A: f"{SOL_A}/0000000a", SOL_B: f"{SOL_B}/0000000b"}

    def seen(solution: str, status: str, updated: str) -> str:
        fact = json.loads(describe_version(versions[solution], status, updated))
        fact = fact["response"]["solutionVersion"]
        if via == "ListSolutionVersions":
            return line(via, {"solutionArn": solution}, response={"solutionVersions": [fact]})
        described = {"solutionArn": solution, "status": "ACTIVE", "latestSolutionVersion": fact}
        return line(via, {"solutionArn": solution}, response={"solution": described})

    lines = [
        seen(SOL_A, "ACTIVE", "2020-01-01T01:00:00Z"),
        seen(SOL_B, "ACTIVE", "2020-01-01T01:00:00Z"),
        seen(SOL_A, "CREATE FAILED", "2020-01-01T02:00:00Z"),
        seen(SOL_B, "CREATE FAILED", "2020-01-01T02:00:00Z"),
    ]
    report = svstate.replay(lines)
    found = {arn: (s.line, s.rule, s.resource) for arn, s in report.illegal.items()}
    assert found == {
        versions[SOL_A]: (3, "SV501", versions[SOL_A]),
        versions[SOL_B]: (4, "SV501", versions[SOL_B]),
    }


# -- lines that are not calls --------------------------------------------------------------

JUNK = [
    ("not json", "is not JSON"),
    ("", "is empty"),
    ("   \t ", "is empty"),
    ("[1, 2]", "not an event object"),
    ("42", "not an event object"),
    ("null", "not an event object"),
    ('"DescribeSolution"', "not an event object"),
    ("{}", "has no operation"),
    ('{"params": {}, "response": {}}', "has no operation"),
    ('{"operation": 5, "params": {}, "response": {}}', "has no operation"),
    ('{"operation": "DescribeSolution", "params": {}}', "neither a response"),
    ('{"operation": "DescribeSolution", "params": {}, "response": []}', "neither a response"),
    ('{"operation": "DescribeSolution", "params": {}, "response": null}', "neither a response"),
    ('{"operation": "DescribeSolution", "params": [], "response": {}}', "params"),
    ('{"operation": "CreateSolutionVersion", "params": {}, "error": "boom"}', "error"),
    ('{"operation": "CreateSolution", "params": {', "is not JSON"),
    ("[" * 100_000 + "]" * 100_000, ""),  # nested too deeply for json, or not an object
]


def test_lines_that_are_not_calls_are_skipped_with_their_number() -> None:
    illegal = line(
        "CreateSolutionVersion",
        {"solutionArn": SOL_A, "trainingMode": "UPDATE"},
        error={"Code": "InvalidInputException", "Message": "no"},
    )
    lines = [*active_solution()]
    junk_at = {}
    for text, _ in JUNK:
        lines.append(text)
        junk_at[len(lines)] = text
    lines.append(illegal)
    report = svstate.replay(lines)
    assert [number for number, _ in report.skipped] == sorted(junk_at)
    for (number, reason), (_, expected) in zip(report.skipped, JUNK, strict=True):
        assert reason.startswith(f"line {number}")
        assert expected in reason
    # The replay went on: the call after the junk is judged, with its own line number.
    assert report.illegal[SOL_A].line == len(lines)
    assert report.lines == len(lines)
    assert report.calls == len(lines) - len(JUNK)
    assert report.denied == report.refused == 1


def test_a_file_replays_with_its_line_numbers(tmp_path: Path) -> None:
    rec = legal_trace()
    lines = [*rec.lines, "this is no JSON", "", *active_solution()]
    lines.append(
        line(
            "CreateSolutionVersion",
            {"solutionArn": SOL_A, "trainingMode": "UPDATE"},
            error={"Code": "InvalidInputException", "Message": "no"},
        )
    )
    path = tmp_path / "trace.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from_file = svstate.replay(path, ruleset=RULESET)
    assert from_file == svstate.replay(lines, ruleset=RULESET)
    assert from_file.skipped == (
        (len(rec.lines) + 1, f"line {len(rec.lines) + 1} is not JSON: Expecting value"),
        (len(rec.lines) + 2, f"line {len(rec.lines) + 2} is empty"),
    )
    assert from_file.illegal[SOL_A].line == len(lines)
    with path.open(encoding="utf-8") as handle:  # an open file is an iterable of lines
        assert svstate.replay(handle, ruleset=RULESET) == from_file


def test_a_file_with_invalid_utf8_is_not_aborted(tmp_path: Path) -> None:
    path = tmp_path / "trace.jsonl"
    good = active_solution()
    path.write_bytes(b"\xff\xfe{not utf8}\n" + "\n".join(good).encode() + b"\n")
    report = svstate.replay(path)
    assert [n for n, _ in report.skipped] == [1]
    assert report.calls == 2
    assert report.ok


def test_numbered_pairs_keep_their_numbers() -> None:
    lines = [
        *active_solution(),
        "garbage",
        line(
            "CreateSolutionVersion",
            {"solutionArn": SOL_A, "trainingMode": "UPDATE"},
            error={"Code": "InvalidInputException", "Message": "no"},
        ),
    ]
    numbers = [101, 205, 309, 412]
    report = svstate.replay(list(zip(numbers, lines, strict=True)))
    assert report.skipped == ((309, "line 309 is not JSON: Expecting value"),)
    assert report.illegal[SOL_A].line == 412
    assert report.lines == 4
    # Pairs of (number, event dict) too.
    dicts = [(n, json.loads(t)) for n, t in zip(numbers, lines, strict=True) if n != 309]
    assert svstate.replay(dicts).illegal[SOL_A].line == 412


@pytest.mark.parametrize("events", [{}, {"operation": "DescribeSolution"}, "a line", 3, None, 2.5])
def test_events_that_are_not_a_trace_are_rejected(events: object) -> None:
    with pytest.raises(SvstateError, match="events"):
        svstate.replay(events)  # type: ignore[arg-type]


def test_bytes_are_not_a_trace() -> None:
    with pytest.raises(SvstateError, match="events"):
        svstate.replay(b'{"operation": "DescribeSolution"}')  # type: ignore[arg-type]


def test_an_unknown_ruleset_is_rejected() -> None:
    with pytest.raises(svstate.UnknownRuleset):
        svstate.replay([], ruleset="2018-01-01")


# -- the report ----------------------------------------------------------------------------


def test_the_report_is_json_serialisable() -> None:
    rec = legal_trace()
    rec.add("oops")
    for text in active_solution():
        rec.add(text)
    number = rec.add(
        line(
            "CreateSolutionVersion",
            {"solutionArn": SOL_A, "trainingMode": "UPDATE"},
            error={"Code": "InvalidInputException", "Message": "no"},
        )
    )
    report = svstate.replay(rec.lines, ruleset=RULESET)
    document = json.loads(json.dumps(report.to_dict()))
    assert document == report.to_dict()
    assert document["lines"] == number
    assert document["skipped"] == [{"line": number - 3, "reason": report.skipped[0][1]}]
    (step,) = document["illegal"]
    assert step == {
        "line": number,
        "resource": SOL_A,
        "operation": "CreateSolutionVersion",
        "rule": "SV301",
        "reason": report.illegal[SOL_A].reason,
    }
    assert report.illegal[SOL_A].to_dict() == step


# -- partitioning: merge, hypothesis, Dask -------------------------------------------------


def multi_solution_trace() -> list[str]:
    """Three solutions, interleaved, with illegal steps and junk lines among them."""
    rec = Recorder()
    a = rec.create_solution("a", HRNN_COLDSTART)
    b = rec.create_solution("b", USER_PERSONALIZATION)
    c = rec.create_solution("c", SIMS)
    rec.add("not json at all")
    for sol in (a, b, c):
        rec("DescribeSolution", solutionArn=sol)
    rec.clock.advance(3600)
    versions = {}
    for sol in (a, b, c):
        rec("DescribeSolution", solutionArn=sol)
        versions[sol] = rec.create_version(sol, "FULL")
    # Observed, not only inferred from the create call: that is what lets replay judge.
    rec("DescribeSolutionVersion", solutionVersionArn=versions[b])
    rec.create_version(b, "UPDATE")  # refused: no ACTIVE FULL version yet (SV301)
    rec.add("")
    rec("CreateCampaign", name="early", solutionVersionArn=versions[b], minProvisionedTPS=1)
    rec.clock.advance(400)
    for sol in (c, b, a):
        rec("DescribeSolutionVersion", solutionVersionArn=versions[sol])
    rec.clock.advance(4000)
    for sol in (a, b, c):
        rec("ListSolutionVersions", solutionArn=sol)
        rec.create_version(sol, "UPDATE")  # legal for a and b, refused for c (SV302)
    rec.add("[1, 2, 3]")
    extra = rec.create_version(a, "FULL")
    rec("StopSolutionVersionCreation", solutionVersionArn=extra)
    rec("StopSolutionVersionCreation", solutionVersionArn=versions[a])  # refused: settled
    rec("CreateCampaign", name="a", solutionVersionArn=versions[a], minProvisionedTPS=1)
    rec("ListCampaigns", solutionArn=a)
    rec.add(describe_version(versions[c], "CREATE FAILED", "2030-01-01T00:00:00Z"))  # SV501
    rec.clock.advance(10_000)
    for sol in (a, b, c):
        rec("ListSolutionVersions", solutionArn=sol)
    rec("DeleteSolution", solutionArn=c)
    rec("DeleteSolution", solutionArn=a)  # refused: a has a campaign (SV902)
    rec.add('{"operation": "DescribeSolution"}')
    return rec.lines


TRACE = multi_solution_trace()
WHOLE = svstate.replay(TRACE, ruleset=RULESET)


def test_the_multi_solution_trace_has_what_the_partition_tests_need() -> None:
    keys = {partition_key(text) for text in TRACE}
    assert keys == {"", f"{PREFIX}solution/a", f"{PREFIX}solution/b", f"{PREFIX}solution/c"}
    found = {
        re.sub(r"/[0-9a-f]{8}$", "/<version>", arn.replace(PREFIX, "")): s.rule
        for arn, s in WHOLE.illegal.items()
    }
    assert len(found) == len(WHOLE.illegal)
    assert found == {
        "solution/a": "SV902",
        "solution/a/<version>": "SV801",
        "solution/b": "SV301",
        "solution/b/<version>": "SV701",
        "solution/c": "SV302",
        "solution/c/<version>": "SV501",
    }
    assert len(WHOLE.skipped) == 4
    assert WHOLE.denied == WHOLE.refused == 5  # every illegal call; SV501 is no call


def replay_parts(parts: Iterable[list[tuple[int, str]]]) -> Replay:
    merged = Replay()
    for part in parts:
        merged = merged.merge(svstate.replay(part, ruleset=RULESET))
    return merged


def test_partition_key() -> None:
    a = f"{PREFIX}solution/a"
    assert partition_key(TRACE[0]) == a  # CreateSolution: from the response
    assert partition_key(json.loads(TRACE[0])) == a  # dicts too
    assert partition_key(describe_version(f"{a}/0000000a", "ACTIVE", "x")) == a
    assert partition_key(line("CreateCampaign", {"solutionVersionArn": f"{a}/$LATEST"})) == a
    assert (
        partition_key(
            line(
                "DescribeCampaign",
                {"campaignArn": f"{PREFIX}campaign/x"},
                response={"campaign": {"solutionVersionArn": f"{a}/0000000a"}},
            )
        )
        == a
    )
    for text in ["not json", "", "[1]", "{}", '{"params": {"solutionArn": "nope"}}', 3, None]:
        assert partition_key(text) == ""


def test_merge_of_the_parts_split_by_partition_key_equals_the_whole() -> None:
    groups: dict[str, list[tuple[int, str]]] = {}
    for number, text in enumerate(TRACE, start=1):
        groups.setdefault(partition_key(text), []).append((number, text))
    merged = replay_parts(groups.values())
    assert merged == WHOLE
    assert merged.to_dict() == WHOLE.to_dict()


def test_merge_with_an_empty_report_changes_nothing() -> None:
    assert Replay().merge(WHOLE) == WHOLE
    assert WHOLE.merge(Replay()) == WHOLE


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_split_by_partition_key_merges_to_the_whole(data: st.DataObject) -> None:
    """Solutions dealt to workers at random, each worker replaying its lines in order, the
    reports merged in any order: always the single-process report."""
    keys = sorted({partition_key(text) for text in TRACE})
    workers = data.draw(st.integers(1, len(keys)), label="workers")
    deal = data.draw(
        st.fixed_dictionaries({k: st.integers(0, workers - 1) for k in keys}), label="deal"
    )
    parts: list[list[tuple[int, str]]] = [[] for _ in range(workers)]
    for number, text in enumerate(TRACE, start=1):
        parts[deal[partition_key(text)]].append((number, text))
    order = data.draw(st.permutations(range(workers)), label="merge order")
    merged = replay_parts(parts[i] for i in order)
    assert merged.to_dict() == WHOLE.to_dict()
    assert merged == WHOLE


def test_a_trace_split_across_dask_workers_gives_the_single_process_result() -> None:
    bag = pytest.importorskip("dask.bag")
    numbered = list(enumerate(TRACE, start=1))
    random.Random(7).shuffle(numbered)  # the workers see the lines in no particular order

    def replay_group(group: tuple[str, list[tuple[int, str]]]) -> Replay:
        _, pairs = group
        return svstate.replay(sorted(pairs), ruleset=RULESET)

    report = (
        bag.from_sequence(numbered, npartitions=4)
        .groupby(lambda pair: partition_key(pair[1]))
        .map(replay_group)
        .fold(lambda left, right: left.merge(right), initial=Replay())
    )
    for scheduler in ("synchronous", "threads"):
        result = report.compute(scheduler=scheduler)
        assert result.to_dict() == WHOLE.to_dict()
        assert result == WHOLE


def test_an_event_naming_several_solutions_does_not_break_the_partition() -> None:
    """ListSolutions names several solutions: svstate.partition splits it into one part per
    solution (counted once), so the merge of the parts equals the whole."""
    version = f"{SOL_A}/0000000a"
    listing = {"solutions": [{"solutionArn": SOL_A, "name": "a", "status": "ACTIVE"}]}
    lines = [
        active_solution()[0],  # CreateSolution: CREATE PENDING
        line("ListSolutions", {}, response=listing),
        line(
            "CreateSolutionVersion",
            {"solutionArn": SOL_A, "trainingMode": "FULL"},
            response={"solutionVersionArn": version},
        ),
    ]
    whole = svstate.replay(lines)
    assert whole.ok
    groups: dict[str, list[tuple[int, Any]]] = {}
    for number, text in enumerate(lines, start=1):
        for key, part in svstate.partition(text):
            groups.setdefault(key, []).append((number, part))
    assert replay_parts(groups.values()).to_dict() == whole.to_dict()


def test_replay_follows_the_chain_its_illegal_steps_and_its_denials() -> None:
    acct = "arn:aws:personalize:us-east-1:123456789012"
    group, dataset = acct + ":dataset-group/movies", acct + ":dataset/movies/INTERACTIONS"
    schema = acct + ":schema/interactions"

    def line(operation: str, params: dict[str, object], response: dict[str, object]) -> str:
        return json.dumps({"operation": operation, "params": params, "response": response})

    create = {
        "name": "interactions",
        "schemaArn": schema,
        "datasetGroupArn": group,
        "datasetType": "Interactions",
    }
    trace = [
        line("CreateDatasetGroup", {"name": "movies"}, {"datasetGroupArn": group}),
        line(
            "DescribeDatasetGroup",
            {"datasetGroupArn": group},
            {"datasetGroup": {"datasetGroupArn": group, "status": "CREATE PENDING"}},
        ),
        line("DescribeSchema", {"schemaArn": schema}, {"schema": {"schemaArn": schema}}),
        line("CreateDataset", create, {"datasetArn": dataset}),  # the group is not ACTIVE
        line(
            "DescribeDataset",
            {"datasetArn": dataset},
            {"dataset": {"datasetArn": dataset, "status": "ACTIVE"}},
        ),
        line(
            "DescribeDataset",
            {"datasetArn": dataset},
            {"dataset": {"datasetArn": dataset, "status": "CREATE FAILED"}},
        ),
    ]
    report = svstate.replay(trace, ruleset="latest")
    assert not report.ok
    steps = {
        step.resource: (step.line, step.rule, step.operation) for step in report.illegal.values()
    }
    assert steps == {
        group: (4, "SV210", "CreateDataset"),
        dataset: (6, "SV501", "DescribeDataset"),
    }
    assert "went from ACTIVE to CREATE FAILED" in report.illegal[dataset].reason
    # an answer older than what is held is stale, not illegal
    stale = [*trace[:5], trace[4].replace('"ACTIVE"', '"CREATE IN_PROGRESS"')]
    assert dataset not in svstate.replay(stale, ruleset="latest").illegal
