"""The ``svstate`` command, run as the real console script in a subprocess.

Every test goes through the installed entry point (``svstate`` next to the
interpreter), so what is checked is what a user's shell or CI job sees: the
exit status (0 allowed or clean, 1 denied or error-level findings, 2 usage
error or unreadable input, 3 unknown), standard output in each format, and
standard error, which for bad input is one line naming the problem and never
a traceback.

Each subprocess costs ~0.15 s, so files are written once per module and the
SARIF and JSON answers several tests look at are computed once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import pytest
from conftest import (
    DATA,
    SOLUTION_ARN,
    SOLUTION_SIMS_ARN,
    load,
)

import svstate
from svstate._lifecycle import DECLARATION

HRNN_COLDSTART = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"
FULL_V = f"{SOLUTION_ARN}/3f9c2a7e"
UPDATE_V = f"{SOLUTION_ARN}/c47b9e15"
UPDATE = {"solutionArn": SOLUTION_ARN, "trainingMode": "UPDATE"}
SARIF_LEVELS = {"error", "warning", "note"}
SARIF_LEVEL_OF = {"error": "error", "warning": "warning", "info": "note"}


# -- running the script -----------------------------------------------------------------------


@cache
def _script() -> str:
    scripts = Path(sysconfig.get_path("scripts"))
    for name in ("svstate", "svstate.exe"):
        if (scripts / name).is_file():
            return str(scripts / name)
    found = shutil.which("svstate")
    if found is None:
        pytest.fail(
            f"the 'svstate' console script is neither in {scripts} nor on PATH; install the "
            "package (pip install -e .) so that its [project.scripts] entry point exists"
        )
    return found


@attrs.frozen
class Run:
    code: int
    out: str
    err: str

    def __str__(self) -> str:  # shown by pytest when an assertion fails
        return f"exit {self.code}\n--- stdout\n{self.out[:3000]}\n--- stderr\n{self.err[:3000]}"


def run_raw(
    args: Sequence[object], stdin: str | bytes | None = None, env: dict[str, str] | None = None
) -> Run:
    """Run ``svstate ARGS``; ``stdin`` is fed to it (nothing, when ``None``)."""
    done = subprocess.run(
        [_script(), *map(str, args)],
        input=stdin.encode("utf-8") if isinstance(stdin, str) else stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        timeout=120,
        env=env,
        check=False,
    )
    out = done.stdout.decode("utf-8", errors="replace")
    err = done.stderr.decode("utf-8", errors="replace")
    return Run(done.returncode, out, err)


def assert_no_traceback(run: Run) -> None:
    assert "Traceback" not in run.out + run.err, f"a traceback escaped:\n{run.err}"


def svstate_cmd(
    *args: object, stdin: str | bytes | None = None, env: dict[str, str] | None = None
) -> Run:
    """Run ``svstate ARGS`` and check that no traceback escaped."""
    run = run_raw(args, stdin, env)
    assert_no_traceback(run)
    return run


def run_many(calls: Sequence[tuple[Sequence[object], str | None]]) -> list[Run]:
    """Run several commands concurrently (each is mostly interpreter start-up)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda call: run_raw(*call), calls))


def ok_json(run: Run, code: int) -> Any:
    assert_no_traceback(run)
    assert run.code == code, run
    assert run.err == "", run
    return json.loads(run.out)


def assert_usage(run: Run, *names: str) -> None:
    """Exit 2, nothing on stdout, exactly one line on stderr naming each of ``names``."""
    assert_no_traceback(run)
    assert run.code == 2, run
    assert run.out == "", run
    assert run.err.endswith("\n"), run
    assert run.err.count("\n") == 1, run
    for name in names:
        assert name in run.err, f"{name!r} not named in {run.err!r}"


# -- files shared by the module ------------------------------------------------------------------


def _event(op: str, params: dict[str, Any], response: Any = None, error: Any = None) -> str:
    event: dict[str, Any] = {"operation": op, "params": params}
    if error is not None:
        event["error"] = error
    else:
        event["response"] = response
    return json.dumps(event)


def _version(arn: str, status: str, mode: str) -> dict[str, Any]:
    return {
        "solutionVersion": {
            "solutionVersionArn": arn,
            "solutionArn": SOLUTION_ARN,
            "status": status,
            "trainingMode": mode,
        }
    }


_DESCRIBE_SOLUTION = _event(
    "DescribeSolution",
    {"solutionArn": SOLUTION_ARN},
    {"solution": {"solutionArn": SOLUTION_ARN, "status": "ACTIVE", "recipeArn": HRNN_COLDSTART}},
)
_LIST_NONE = _event(
    "ListSolutionVersions", {"solutionArn": SOLUTION_ARN}, {"solutionVersions": []}
)
_CREATE_FULL = _event(
    "CreateSolutionVersion",
    {"solutionArn": SOLUTION_ARN, "trainingMode": "FULL"},
    {"solutionVersionArn": FULL_V},
)
_FULL_ACTIVE = _event(
    "DescribeSolutionVersion",
    {"solutionVersionArn": FULL_V},
    _version(FULL_V, "ACTIVE", "FULL"),
)
LEGAL_TRACE = [
    _DESCRIBE_SOLUTION,
    _LIST_NONE,
    _CREATE_FULL,
    _event(
        "DescribeSolutionVersion",
        {"solutionVersionArn": FULL_V},
        _version(FULL_V, "CREATE IN_PROGRESS", "FULL"),
    ),
    _FULL_ACTIVE,
    _event("CreateSolutionVersion", UPDATE, {"solutionVersionArn": UPDATE_V}),
]
# Line 3: UPDATE before any FULL version (SV301); line 6: ACTIVE back to CREATE FAILED (SV501).
ILLEGAL_TRACE = [
    _DESCRIBE_SOLUTION,
    _LIST_NONE,
    _event(
        "CreateSolutionVersion",
        UPDATE,
        error={"Code": "InvalidInputException", "Message": "no ACTIVE FULL version"},
    ),
    _CREATE_FULL,
    _FULL_ACTIVE,
    _event(
        "DescribeSolutionVersion",
        {"solutionVersionArn": FULL_V},
        _version(FULL_V, "CREATE FAILED", "FULL"),
    ),
]
JUNK_TRACE = [_DESCRIBE_SOLUTION, "not json", "", "[1, 2]", '{"foo": 1}', _LIST_NONE]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Params, inner fact objects, traces and broken inputs, written once."""
    root = tmp_path_factory.mktemp("cli")
    paths: dict[str, Path] = {}

    def write(name: str, content: str | bytes) -> None:
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        paths[name] = path

    write("update.json", json.dumps(UPDATE))
    for name, key in [
        ("solution_active_hrnn_coldstart", "solution"),
        ("solution_active_sims", "solution"),
        ("versions_coldstart_full_active", "solutionVersions"),
        ("version_summary_underscore_status", "solutionVersions"),
        ("campaigns_active", "campaigns"),
        ("campaigns_deleting", "campaigns"),
    ]:
        write(f"inner_{name}.json", json.dumps(load(name)[key]))
    write("legal.jsonl", "\n".join(LEGAL_TRACE) + "\n")
    write("illegal.jsonl", "\n".join(ILLEGAL_TRACE) + "\n")
    write("junk.jsonl", "\n".join(JUNK_TRACE) + "\n")
    write("binary.jsonl", bytes(range(256)) * 8 + b"\x00\xff\xfe\x80garbage\n")
    write("bad.json", '{"solutionArn": ')
    write("latin1.json", '{"name": "caf\u00e9"}'.encode("latin-1"))
    return paths


def data(name: str) -> Path:
    return DATA / f"{name}.json"


# -- check: decisions and exit statuses --------------------------------------------------------

_ALLOW_FACTS = ("--solution", data("solution_active_hrnn_coldstart"))
_ALLOW_FACTS += ("--versions", data("versions_coldstart_full_active"))
_SIMS_UPDATE = json.dumps({"solutionArn": SOLUTION_SIMS_ARN, "trainingMode": "UPDATE"})


@pytest.mark.parametrize(
    ("params", "facts", "unknown", "code", "decision"),
    [
        (json.dumps(UPDATE), _ALLOW_FACTS, None, 0, "ALLOW"),
        (_SIMS_UPDATE, ("--solution", data("solution_active_sims")), None, 1, "DENY"),
        (json.dumps(UPDATE), (), None, 3, "UNKNOWN"),
        (json.dumps(UPDATE), (), "allow", 0, "UNKNOWN"),
        (json.dumps(UPDATE), (), "deny", 1, "UNKNOWN"),
        (json.dumps(UPDATE), _ALLOW_FACTS, "deny", 0, "ALLOW"),
        (_SIMS_UPDATE, ("--solution", data("solution_active_sims")), "allow", 1, "DENY"),
    ],
    ids=["allow", "deny", "unknown", "unknown-allow", "unknown-deny", "allow-deny", "deny-allow"],
)
def test_check_exit_status(
    params: str, facts: tuple[object, ...], unknown: str | None, code: int, decision: str
) -> None:
    flags = () if unknown is None else ("--unknown", unknown)
    run = svstate_cmd("check", "CreateSolutionVersion", "--params", params, *facts, *flags)
    assert run.code == code, run
    assert run.err == ""
    assert run.out.split()[0] == decision, run


@pytest.mark.parametrize("form", ["inline", "file://", "@file", "stdin"])
def test_check_params_sources(files: dict[str, Path], form: str) -> None:
    source = {
        "inline": json.dumps(UPDATE),
        "file://": f"file://{files['update.json']}",
        "@file": f"@{files['update.json']}",
        "stdin": "-",
    }[form]
    run = svstate_cmd(
        "check",
        "create_solution_version",
        "--params",
        source,
        *_ALLOW_FACTS,
        "--format",
        "json",
        stdin=json.dumps(UPDATE) if form == "stdin" else None,
    )
    verdict = ok_json(run, 0)
    assert verdict["decision"] == "allow"
    assert verdict["operation"] == "CreateSolutionVersion"


def test_check_fact_from_stdin() -> None:
    """``--solution -``: the describe-solution document piped in, as from the AWS CLI."""
    piped = data("solution_active_hrnn_coldstart").read_text(encoding="utf-8")
    csv = ("check", "CreateSolutionVersion", "--params", json.dumps(UPDATE), "--format", "json")
    allowed, unknown = run_many([([*csv, "--solution", "-"], piped), ([*csv], None)])
    # Its latestSolutionVersion is ACTIVE FULL: enough for UPDATE; without it, UNKNOWN.
    assert ok_json(allowed, 0)["decision"] == "allow"
    assert ok_json(unknown, 3)["decision"] == "unknown"


def _facts(
    files: dict[str, Path],
    form: str,
    solution: str,
    versions: str | None = None,
    campaigns: str | None = None,
) -> list[object]:
    """``--solution``/``--versions``/``--campaigns`` as whole data files or inner values."""
    args: list[object] = []
    for flag, name in (("solution", solution), ("versions", versions), ("campaigns", campaigns)):
        if name is not None:
            args += [f"--{flag}", data(name) if form == "whole" else files[f"inner_{name}.json"]]
    return args


@pytest.mark.parametrize("form", ["whole", "inner"])
def test_check_facts_whole_document_or_inner_value(files: dict[str, Path], form: str) -> None:
    """What ``aws personalize describe-solution`` etc. print, or just its inner object/list."""
    coldstart = "solution_active_hrnn_coldstart"
    full_active = "versions_coldstart_full_active"
    csv = ("check", "CreateSolutionVersion", "--format", "json", "--params")
    delete = ("check", "DeleteSolution", "--format", "json", "--params")
    delete += (json.dumps({"solutionArn": SOLUTION_ARN}),)
    allowed, pending, sims, active, deleting = run_many(
        [
            (
                [*csv, json.dumps(UPDATE), *_facts(files, form, coldstart, full_active)],
                None,
            ),
            # The solution alone (its latestSolutionVersion is ACTIVE FULL) would allow;
            # the complete version list says the only FULL version is CREATE PENDING.
            (
                [
                    *csv,
                    json.dumps(UPDATE),
                    *_facts(files, form, coldstart, "version_summary_underscore_status"),
                ],
                None,
            ),
            ([*csv, _SIMS_UPDATE, *_facts(files, form, "solution_active_sims")], None),
            ([*delete, *_facts(files, form, coldstart, full_active, "campaigns_active")], None),
            ([*delete, *_facts(files, form, coldstart, full_active, "campaigns_deleting")], None),
        ]
    )
    assert ok_json(allowed, 0)["findings"] == []
    found = ok_json(pending, 1)
    assert found["decision"] == "deny"
    assert {"SV301", "SV401", "SV503"} <= {f["rule"] for f in found["findings"]}
    assert "SV302" in {f["rule"] for f in ok_json(sims, 1)["findings"]}
    assert "SV902" in {f["rule"] for f in ok_json(active, 1)["findings"]}
    assert ok_json(deleting, 0)["decision"] == "allow"


def test_check_json_output() -> None:
    denied = ok_json(
        svstate_cmd(
            "check",
            "CreateSolutionVersion",
            "--params",
            _SIMS_UPDATE,
            "--solution",
            data("solution_active_sims"),
            "--format",
            "json",
        ),
        1,
    )
    assert denied["decision"] == "deny"
    assert denied["ruleset"] == svstate.Ruleset.parse("latest").name
    [finding] = [f for f in denied["findings"] if f["rule"] == "SV302"]
    assert finding["severity"] == "error"
    assert finding["path"] == "trainingMode"
    assert finding["error_code"] == "InvalidInputException"
    assert finding["message"]

    unknown = ok_json(
        svstate_cmd(
            "check", "CreateSolutionVersion", "--params", json.dumps(UPDATE), "--format", "json"
        ),
        3,
    )
    assert unknown["decision"] == "unknown"
    assert unknown["findings"] == []
    assert {"solution", "versions"} <= set(unknown["missing"])


# -- SARIF -------------------------------------------------------------------------------------

# An error (SV301), a warning (SV401) and an info (SV503, shown as a SARIF "note").
_THREE_LEVELS = (
    "check",
    "CreateSolutionVersion",
    "--params",
    json.dumps(UPDATE),
    "--solution",
    data("solution_active_hrnn_coldstart"),
    "--versions",
    data("version_summary_underscore_status"),
    "--ruleset",
    "latest",
)


@pytest.fixture(scope="module")
def sarif_check() -> tuple[dict[str, Any], dict[str, Any]]:
    """The SARIF and JSON answers of one check with findings at all three levels."""
    sarif = ok_json(svstate_cmd(*_THREE_LEVELS, "--format", "sarif"), 1)
    verdict = ok_json(svstate_cmd(*_THREE_LEVELS, "--format", "json"), 1)
    return sarif, verdict


def assert_sarif(log: dict[str, Any]) -> list[dict[str, Any]]:
    """The structural checks every SARIF answer passes; returns the results."""
    assert log["version"] == "2.1.0"
    assert "sarif" in log.get("$schema", "")
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "svstate"
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert set(ids) >= {r.id for r in svstate.rules("latest")}
    assert len(ids) == len(set(ids))
    for r in rules:
        assert r["shortDescription"]["text"]
        assert r["defaultConfiguration"]["level"] in SARIF_LEVELS
    for result in run["results"]:
        assert result["ruleId"] in ids
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in SARIF_LEVELS
        assert result["message"]["text"]
    return run["results"]


def test_sarif_check(sarif_check: tuple[dict[str, Any], dict[str, Any]]) -> None:
    sarif, verdict = sarif_check
    results = assert_sarif(sarif)
    assert {r["level"] for r in results} == SARIF_LEVELS
    assert sorted((r["ruleId"], r["level"]) for r in results) == sorted(
        (f["rule"], SARIF_LEVEL_OF[f["severity"]]) for f in verdict["findings"]
    )
    paths = {
        r["ruleId"]: r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
        for r in results
    }
    assert paths["SV301"] == "trainingMode"
    by_id = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    for rule in svstate.rules("latest"):
        assert by_id[rule.id]["defaultConfiguration"]["level"] == SARIF_LEVEL_OF[rule.severity]


def test_sarif_catalogue_is_latest_whatever_the_ruleset() -> None:
    """In 2019-06-10 trainingMode did not exist (SV105); the tool's rules are still all."""
    old = ok_json(
        svstate_cmd(
            "check",
            "CreateSolutionVersion",
            "--params",
            json.dumps(UPDATE),
            *_ALLOW_FACTS,
            "--ruleset",
            "2019-06-10",
            "--format",
            "sarif",
        ),
        1,
    )
    results = assert_sarif(old)
    assert [(r["ruleId"], r["level"]) for r in results] == [("SV105", "error")]
    assert old["runs"][0]["properties"]["ruleset"] == "2019-06-10"
    allowed = ok_json(
        svstate_cmd(
            "check",
            "CreateSolutionVersion",
            "--params",
            json.dumps(UPDATE),
            *_ALLOW_FACTS,
            "--format",
            "sarif",
        ),
        0,
    )
    assert assert_sarif(allowed) == []


# -- validate ----------------------------------------------------------------------------------

_DOCUMENTS = sorted(
    [("SolutionVersion", p.stem) for p in DATA.glob("version_*.json") if "summary" not in p.stem]
    + [("Solution", p.stem) for p in DATA.glob("solution_*.json")]
)
# Every item of every list_solution_versions file, validated alone (through stdin).
_SUMMARIES = [
    (f"{name}[{index}]", item)
    for name in sorted(p.stem for p in DATA.glob("*.json") if "solutionVersions" in load(p.stem))
    for index, item in enumerate(load(name)["solutionVersions"])
]


@pytest.fixture(scope="module")
def validated() -> dict[str, Run]:
    """``validate --ruleset latest --format json`` of every example document and summary."""
    calls: list[tuple[Sequence[object], str | None]] = [
        (["validate", shape, data(name), "--ruleset", "latest", "--format", "json"], None)
        for shape, name in _DOCUMENTS
    ]
    calls += [
        (
            ["validate", "SolutionVersionSummary", "-", "--ruleset", "latest", "--format", "json"],
            json.dumps(item),
        )
        for _, item in _SUMMARIES
    ]
    keys = [name for _, name in _DOCUMENTS] + [key for key, _ in _SUMMARIES]
    return dict(zip(keys, run_many(calls), strict=True))


@pytest.mark.parametrize(("shape", "name"), _DOCUMENTS, ids=[n for _, n in _DOCUMENTS])
def test_validate_example_documents(validated: dict[str, Run], shape: str, name: str) -> None:
    verdict = ok_json(validated[name], 0)
    assert verdict["decision"] == "allow"
    assert verdict["operation"] == shape
    assert [f for f in verdict["findings"] if f["severity"] == "error"] == []


@pytest.mark.parametrize("key", [k for k, _ in _SUMMARIES])
def test_validate_version_summaries(validated: dict[str, Run], key: str) -> None:
    verdict = ok_json(validated[key], 0)
    assert verdict["decision"] == "allow"
    expected = {"SV503"} if key.startswith("version_summary_underscore_status") else set()
    assert {f["rule"] for f in verdict["findings"]} == expected


def test_validate_inner_object_from_stdin() -> None:
    inner = json.dumps(load("version_active_full")["solutionVersion"])
    run = svstate_cmd("validate", "SolutionVersion", "-", "--ruleset", "latest", stdin=inner)
    assert run.code == 0, run
    assert run.out.startswith("ALLOW SolutionVersion"), run


def _tampered(tmp_path: Path) -> list[tuple[str, Path, str]]:
    version = load("version_active_full")
    version["solutionVersion"]["solutionVersionArn"] = f"{SOLUTION_SIMS_ARN}/3f9c2a7e"
    hpo = load("version_active_hpo")
    limits = hpo["solutionVersion"]["solutionConfig"]["hpoConfig"]["hpoResourceConfig"]
    limits["maxParallelTrainingJobs"] = "11"
    solution = load("solution_active_sims")
    solution["solution"]["solutionArn"] = "not-an-arn"
    summary = load("versions_coldstart_full_active")["solutionVersions"][0]
    summary["solutionVersionArn"] = 12
    out = []
    for shape, name, value, rule in [
        ("SolutionVersion", "version", version, "SV603"),
        ("SolutionVersion", "hpo", hpo, "SV605"),
        ("Solution", "solution", solution, "SV102"),
        ("SolutionVersionSummary", "summary", summary, "SV102"),
    ]:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(value), encoding="utf-8")
        out.append((shape, path, rule))
    return out


def test_validate_tampered_documents(tmp_path: Path) -> None:
    for shape, path, rule in _tampered(tmp_path):
        run = svstate_cmd("validate", shape, path, "--ruleset", "latest")
        assert run.code == 1, run
        assert run.out.startswith("DENY"), run
        assert rule in run.out, run
    shape, path, rule = _tampered(tmp_path)[0]
    verdict = ok_json(svstate_cmd("validate", shape, path, "--format", "json"), 1)
    assert rule in {f["rule"] for f in verdict["findings"] if f["severity"] == "error"}
    results = assert_sarif(ok_json(svstate_cmd("validate", shape, path, "--format", "sarif"), 1))
    [result] = [r for r in results if r["ruleId"] == rule]
    assert result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == str(path)


# -- replay ------------------------------------------------------------------------------------


def test_replay_legal_trace(files: dict[str, Path]) -> None:
    text = svstate_cmd("replay", files["legal.jsonl"])
    assert text.code == 0, text
    assert text.err == ""
    assert text.out.startswith("OK: 6 lines, 6 calls"), text
    report = ok_json(svstate_cmd("replay", files["legal.jsonl"], "--format", "json"), 0)
    assert report["lines"] == report["calls"] == 6
    assert report["illegal"] == []
    assert report["skipped"] == []
    sarif = ok_json(svstate_cmd("replay", files["legal.jsonl"], "--format", "sarif"), 0)
    assert assert_sarif(sarif) == []
    piped = svstate_cmd("replay", "-", stdin=files["legal.jsonl"].read_text(encoding="utf-8"))
    assert (piped.code, piped.out) == (0, text.out)


def test_replay_illegal_trace(files: dict[str, Path]) -> None:
    text = svstate_cmd("replay", files["illegal.jsonl"])
    assert text.code == 1, text
    assert text.err == ""
    assert text.out.startswith("ILLEGAL STEPS"), text
    assert re.search(r"line 3: SV301 CreateSolutionVersion", text.out), text
    assert re.search(r"line 6: SV501 DescribeSolutionVersion", text.out), text

    report = ok_json(svstate_cmd("replay", files["illegal.jsonl"], "--format", "json"), 1)
    assert [(s["line"], s["rule"]) for s in report["illegal"]] == [(3, "SV301"), (6, "SV501")]
    assert report["refused"] == 1
    assert report["denied"] == 1

    sarif = ok_json(svstate_cmd("replay", files["illegal.jsonl"], "--format", "sarif"), 1)
    results = assert_sarif(sarif)
    assert sorted(r["ruleId"] for r in results) == ["SV301", "SV501"]
    assert {r["level"] for r in results} == {"error"}
    for r in results:
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == str(
            files["illegal.jsonl"]
        )


def test_replay_reports_junk_lines(files: dict[str, Path]) -> None:
    text = svstate_cmd("replay", files["junk.jsonl"])
    assert text.code == 0, text
    assert text.err == ""
    assert "6 lines, 2 calls" in text.out, text
    assert "4 skipped" in text.out, text
    for line in (2, 3, 4, 5):
        assert f"skipped line {line}:" in text.out, text
    report = ok_json(svstate_cmd("replay", files["junk.jsonl"], "--format", "json"), 0)
    assert [s["line"] for s in report["skipped"]] == [2, 3, 4, 5]
    assert all(s["reason"] for s in report["skipped"])


def test_replay_binary_garbage_is_skipped_not_refused(files: dict[str, Path]) -> None:
    """Undecodable bytes are replaced (``errors="replace"``) and every line is skipped.

    Skipped lines are not findings, so a trace of nothing but garbage is "clean":
    exit 0, with every line reported as skipped; never exit 2 or a crash.
    """
    report = ok_json(svstate_cmd("replay", files["binary.jsonl"], "--format", "json"), 0)
    assert report["lines"] > 1
    assert report["calls"] == 0
    assert len(report["skipped"]) == report["lines"]
    text = svstate_cmd("replay", files["binary.jsonl"])
    assert text.code == 0, text
    assert "skipped line 1:" in text.out, text


def test_replay_binary_stdin_with_strict_decoding(files: dict[str, Path]) -> None:
    """In a UTF-8 locale such as en_US.UTF-8, Python decodes stdin strictly.

    ``PYTHONIOENCODING=utf-8:strict`` gives the same stdin here, whatever this
    machine's locale. Garbage on stdin must be skipped like garbage in a file.
    """
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    run = svstate_cmd(
        "replay", "-", "--format", "json", stdin=files["binary.jsonl"].read_bytes(), env=env
    )
    report = ok_json(run, 0)
    assert report["calls"] == 0
    assert len(report["skipped"]) == report["lines"]


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_replay_progress_on_a_terminal(tmp_path: Path) -> None:
    """A trace of 10 MB or more shows a progress line on stderr when it is a terminal."""
    big = tmp_path / "big.jsonl"
    line = "x" * 1023 + "\n"
    big.write_text(line * (10_000_000 // len(line) + 1), encoding="utf-8")
    controller, terminal = os.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        done = subprocess.run(
            [_script(), "replay", str(big), "--format", "json"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=terminal,
            timeout=120,
            check=False,
        )
    finally:
        os.close(terminal)
    reader.join(timeout=10)
    os.close(controller)
    shown = b"".join(chunks).decode("utf-8", errors="replace")
    assert done.returncode == 0, shown
    assert "Traceback" not in shown
    assert "replaying big.jsonl" in shown, shown
    assert "100%" in shown, shown
    report = json.loads(done.stdout)
    assert report["lines"] == len(report["skipped"]) > 9000


# -- explore, diagram, rules, version, help ----------------------------------------------------


def test_explore_bound_2() -> None:
    expected = svstate.explore(2)
    text = svstate_cmd("explore", "--bound", "2")
    assert text.code == 0, text
    assert text.err == "", text
    assert text.out.startswith("OK:"), text
    assert f"{expected.states:,} states" in text.out
    found = ok_json(svstate_cmd("explore", "--bound", "2", "--format", "json"), 0)
    assert found["bound"] == 2
    assert found["ok"] is True
    assert found["states"] == expected.states
    assert found["transitions"] == expected.transitions
    assert found["violations"] == []
    assert found["counterexample"] is None
    assert set(found["reached"]) == {s.value for s in expected.reached}
    assert found["reduction"] == "quotient"


def test_explore_the_whole_chain() -> None:
    expected = svstate.explore_chain(1)
    text = svstate_cmd("explore", "--chain")
    assert text.code == 0, text
    assert f"OK: {expected.states:,} states" in text.out
    assert "  batch inference job: ACTIVE, CREATE FAILED, IN PROGRESS, PENDING" in text.out
    found = ok_json(
        svstate_cmd("explore", "--chain", "--ruleset", "2019-10-14", "--format", "json"), 0
    )
    assert found["chain"] is True
    assert found["reached"]["batch_inference_job"] == []
    refused = svstate_cmd("explore", "--chain", "--bound", "5")
    assert refused.code == 2
    assert "bound is 5; pass an int from 1 to 2" in refused.err


def test_explore_with_another_reduction() -> None:
    expected = svstate.explore(2, reduction="symmetry")
    found = ok_json(
        svstate_cmd("explore", "--bound", "2", "--reduction", "symmetry", "--format", "json"), 0
    )
    assert (found["reduction"], found["states"]) == ("symmetry", expected.states)
    refused = svstate_cmd("explore", "--reduction", "sideways")
    assert refused.code == 2, refused
    assert "sideways" in refused.err


@pytest.mark.parametrize("ruleset", ["2019-10-14", "latest"])
def test_diagram_mermaid_draws_the_declaration(ruleset: str) -> None:
    run = svstate_cmd("diagram", "--ruleset", ruleset)
    assert run.code == 0, run
    assert run.err == "", run
    lines = [line.strip() for line in run.out.splitlines()]
    assert lines[0] == "stateDiagram-v2"
    day = svstate.Ruleset.parse(ruleset).date
    assert f"[*] --> {DECLARATION.initial.name}" in lines
    for edge in DECLARATION.edges:
        drawn = f"{edge.source.name} --> {edge.dest.name}: {edge.trigger}"
        assert (drawn in lines) == (edge.since <= day), (drawn, run.out)
    for status in DECLARATION.terminal:
        if any(s == status and since <= day for s, since in DECLARATION.states):
            assert f"{status.name} --> [*]" in lines


def test_diagram_default_ruleset_is_latest_with_the_stop_states() -> None:
    default = svstate_cmd("diagram")
    assert default.code == 0
    assert "CREATE_STOPPING --> CREATE_STOPPED: finish_stop" in default.out
    seed = svstate_cmd("diagram", "--ruleset", "2019-10-14")
    assert "CREATE_STOPPED" not in seed.out
    assert "CREATE_IN_PROGRESS --> ACTIVE: succeed" in seed.out


def test_diagram_dot() -> None:
    run = svstate_cmd("diagram", "--format", "dot", "--ruleset", "latest")
    assert run.code == 0, run
    assert run.err == "", run
    text = run.out.strip()
    assert text.startswith("digraph")
    assert text.endswith("}")
    assert text.count("{") == text.count("}")
    for edge in DECLARATION.edges:
        assert f'"{edge.source.value}" -> "{edge.dest.value}"' in text


def test_diagram_svg() -> None:
    run = svstate_cmd("diagram", "--format", "svg")
    if shutil.which("dot"):
        assert run.code == 0, run
        assert "<svg" in run.out
    else:
        assert_usage(run, "graphviz")


@pytest.mark.parametrize("ruleset", ["2019-06-10", "latest"])
def test_rules(ruleset: str) -> None:
    expected = [r.id for r in svstate.rules(ruleset)]
    listed = ok_json(svstate_cmd("rules", "--ruleset", ruleset, "--format", "json"), 0)
    assert [r["id"] for r in listed] == expected
    assert all(r["source"] and r["title"] and r["since"] for r in listed)
    text = svstate_cmd("rules", "--ruleset", ruleset)
    assert text.code == 0, text
    assert text.err == "", text
    assert re.findall(r"^(SV\d+) ", text.out, flags=re.MULTILINE) == expected
    assert len(re.findall(r"^\s+source: \S", text.out, flags=re.MULTILINE)) == len(expected)


def test_rules_before_and_after_update() -> None:
    """SV301 (UPDATE needs an ACTIVE FULL version) exists only once UPDATE does."""
    assert "SV301" not in [r.id for r in svstate.rules("2019-06-10")]
    assert "SV301" in [r.id for r in svstate.rules("latest")]


def test_version() -> None:
    run = svstate_cmd("--version")
    assert run.code == 0, run
    assert run.out.strip() == f"svstate {svstate.__version__}"


def test_help() -> None:
    for args in (["--help"], ["check", "--help"]):
        run = svstate_cmd(*args)
        assert run.code == 0, run
        assert run.out.startswith("usage: svstate"), run
    done = subprocess.run(
        [sys.executable, "-m", "svstate", "--help"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: svstate")
    for command in ("check", "validate", "replay", "explore", "diagram", "rules"):
        assert command in done.stdout


# -- bad input: one line on stderr, exit 2 -----------------------------------------------------

_CSV = ("check", "CreateSolutionVersion")
_P = json.dumps({"solutionArn": SOLUTION_ARN})
_BAD: list[tuple[str, list[object], str | None, tuple[str, ...]]] = [
    # (id, arguments with {name} placeholders for module files, stdin, names in the message)
    (
        "missing-params-file",
        [*_CSV, "--params", "file://{nope.json}"],
        None,
        ("--params", "nope.json", "No such file"),
    ),
    (
        "params-not-json",
        [*_CSV, "--params", "notjson"],
        None,
        ("--params", "'notjson'", "line 1, column 1", "file://PATH"),
    ),
    (
        "params-bare-path-is-not-a-file",
        [*_CSV, "--params", "{update.json}"],
        None,
        ("--params", "is not valid JSON", "file://PATH"),
    ),
    (
        "params-json-error-position",
        [*_CSV, "--params", '{\n  "solutionArn": ,\n}'],
        None,
        ("line 2, column 18",),
    ),
    ("missing-params-@file", [*_CSV, "--params", "@{nope.json}"], None, ("nope.json",)),
    ("missing-solution", [*_CSV, "--params", _P, "--solution", "{nope.json}"], None, ("nope",)),
    ("missing-versions", [*_CSV, "--params", _P, "--versions", "{nope.json}"], None, ("nope",)),
    ("missing-validate", ["validate", "Solution", "{nope.json}"], None, ("nope.json",)),
    ("bad-params-inline", [*_CSV, "--params", '{"solutionArn": '], None, ("--params", "JSON")),
    ("bad-params-@file", [*_CSV, "--params", "@{bad.json}"], None, ("--params", "JSON")),
    ("bad-params-path", [*_CSV, "--params", "file://{bad.json}"], None, ("--params", "JSON")),
    ("bad-params-stdin", [*_CSV, "--params", "-"], "{oops", ("--params", "JSON")),
    ("bad-solution", [*_CSV, "--params", _P, "--solution", "{bad.json}"], None, ("--solution",)),
    ("bad-versions", [*_CSV, "--params", _P, "--versions", "{bad.json}"], None, ("--versions",)),
    (
        "bad-campaigns",
        [*_CSV, "--params", _P, "--campaigns", "{bad.json}"],
        None,
        ("--campaigns",),
    ),
    ("bad-validate", ["validate", "Solution", "{bad.json}"], None, ("JSON",)),
    ("unknown-operation", ["check", "FrobSolution", "--params", _P], None, ("FrobSolution",)),
    ("ruleset-2018", [*_CSV, "--params", _P, "--ruleset", "2018-01-01"], None, ("2018-01-01",)),
    ("ruleset-yesterday", [*_CSV, "--params", _P, "--ruleset", "yesterday"], None, ("yesterday",)),
    ("rules-ruleset", ["rules", "--ruleset", "2018-01-01"], None, ("2018-01-01",)),
    ("diagram-ruleset", ["diagram", "--ruleset", "yesterday"], None, ("yesterday",)),
    (
        "explore-ruleset",
        ["explore", "--bound", "1", "--ruleset", "yesterday"],
        None,
        ("yesterday",),
    ),
    ("replay-ruleset", ["replay", "{legal.jsonl}", "--ruleset", "2018-01-01"], None, ("2018",)),
    (
        "validate-ruleset",
        ["validate", "Solution", "{update.json}", "--ruleset", "x"],
        None,
        ("'x'",),
    ),
    ("unknown-subcommand", ["frobnicate"], None, ("frobnicate",)),
    ("no-subcommand", [], None, ("command",)),
    ("missing-params", [*_CSV], None, ("--params",)),
    ("bound-x", ["explore", "--bound", "x"], None, ("bound", "'x'")),
    ("bound-99", ["explore", "--bound", "99"], None, ("bound", "99")),
    ("bound-negative", ["explore", "--bound", "-1"], None, ("bound", "-1")),
    ("replay-missing", ["replay", "{nope.jsonl}"], None, ("nope.jsonl",)),
    ("unknown-shape", ["validate", "Frob", "{bad.json}"], None, ("Frob",)),
    ("bad-format", [*_CSV, "--params", _P, "--format", "xml"], None, ("xml",)),
    ("bad-unknown", [*_CSV, "--params", _P, "--unknown", "maybe"], None, ("maybe",)),
]


def _fill(args: list[object], files: dict[str, Path]) -> list[str]:
    def one(arg: object) -> str:
        text = str(arg)
        match = re.fullmatch(r"(@|file://)?\{([\w.]+)\}", text)
        if match is None:
            return text
        name = match.group(2)
        path = files.get(name, files["bad.json"].parent / name)
        return (match.group(1) or "") + str(path)

    return [one(a) for a in args]


_UNDECODABLE: list[tuple[str, list[object]]] = [
    ("params-path", [*_CSV, "--params", "file://{latin1.json}"]),
    ("params-@file", [*_CSV, "--params", "@{latin1.json}"]),
    ("solution", [*_CSV, "--params", _P, "--solution", "{latin1.json}"]),
    ("validate", ["validate", "Solution", "{latin1.json}"]),
]


@pytest.fixture(scope="module")
def bad_runs(files: dict[str, Path]) -> dict[str, Run]:
    """Every bad-input command of this section, run once, concurrently."""
    calls = [(_fill(args, files), stdin) for _, args, stdin, _ in _BAD]
    calls += [(_fill(args, files), None) for _, args in _UNDECODABLE]
    keys = [c[0] for c in _BAD] + [f"undecodable-{c[0]}" for c in _UNDECODABLE]
    return dict(zip(keys, run_many(calls), strict=True))


@pytest.mark.parametrize(("key", "names"), [(c[0], c[3]) for c in _BAD], ids=[c[0] for c in _BAD])
def test_bad_input(bad_runs: dict[str, Run], key: str, names: tuple[str, ...]) -> None:
    assert_usage(bad_runs[key], *names)


@pytest.mark.parametrize("key", [c[0] for c in _UNDECODABLE])
def test_undecodable_input_file_is_a_usage_error(bad_runs: dict[str, Run], key: str) -> None:
    """A file that is not UTF-8 (here Latin-1) is unreadable input: exit 2, one line."""
    assert_usage(bad_runs[f"undecodable-{key}"], "latin1.json")
