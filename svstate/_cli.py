"""The ``svstate`` command: svstate without writing Python.

Rules in this file:

* Standard library only (argparse, json): the command needs no extra.
* Exit status: 0 allowed or clean, 1 denied or error-level findings, 2 usage
  error or unreadable input, 3 unknown (not enough facts; ``--unknown``
  turns it into 0 or 1).
* A problem with the command line or the input is one line on stderr naming
  it, and exit status 2; never a traceback.
* Output is text, JSON, or SARIF 2.1.0 with the rule catalogue as the tool's
  rules, so code-scanning interfaces can show findings.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from svstate import __version__
from svstate._catalogue import RULES, rules
from svstate._errors import SvstateError
from svstate._explore import explore
from svstate._explore_chain import explore_chain
from svstate._lifecycle import lifecycle_for
from svstate._observe import validate
from svstate._preflight import preflight
from svstate._render import mermaid
from svstate._replay import Replay, replay
from svstate._rulesets import DEFAULT_RULESET, HRNN_COLDSTART, resolve_ruleset
from svstate._shapes import RESPONSES
from svstate._verdict import Finding, Verdict
from svstate._vocab import Decision, Severity

__all__ = ["main"]

EXIT_OK, EXIT_DENIED, EXIT_USAGE, EXIT_UNKNOWN = 0, 1, 2, 3
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


class _Usage(Exception):
    """A problem with the command line or its input: one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Usage(f"{self.prog}: {message}")


_FILE = "file://"


def _read(source: str, what: str) -> Any:
    """JSON from ``-`` (standard input), ``file://PATH``, or: for ``--params``, inline
    JSON (the AWS CLI's convention); for the fact options, a file path.

    ``@PATH`` is kept for ``--params`` as an alias of ``file://PATH``.
    """
    inline = False
    try:
        if source == "-":
            text = sys.stdin.read()
        elif source.startswith(_FILE):
            text = Path(source[len(_FILE) :]).read_text(encoding="utf-8")
        elif what == "--params" and source.startswith("@"):
            text = Path(source[1:]).read_text(encoding="utf-8")
        elif what == "--params":
            text, inline = source, True
        else:
            text = Path(source).read_text(encoding="utf-8")
    except OSError as error:
        raise _Usage(f"cannot read {what} {source[:200]!r}: {error.strerror or error}") from None
    except ValueError as error:  # e.g. a NUL byte in a path
        raise _Usage(f"cannot read {what} {source[:200]!r}: {error}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}: {error.msg}"
        if inline:
            raise _Usage(
                f"{what} {source[:200]!r} is not valid JSON ({where}); pass the request as "
                "inline JSON, or file://PATH to read it from a file."
            ) from None
        raise _Usage(f"{what} is not valid JSON ({where}).") from None
    except (ValueError, RecursionError) as error:
        raise _Usage(f"{what} is not valid JSON: {error}") from None


def _finding_text(f: Finding) -> str:
    return str(f)


def _sarif(findings: Sequence[tuple[Finding, str | None]], ruleset: object) -> dict[str, Any]:
    """A SARIF 2.1.0 log: the catalogue as the tool's rules, findings as results."""
    catalogue = rules("latest")
    index = {r.id: i for i, r in enumerate(catalogue)}
    results = []
    for finding, uri in findings:
        location: dict[str, Any] = {
            "logicalLocations": [{"fullyQualifiedName": finding.path or "", "kind": "member"}]
        }
        if uri is not None:
            location["physicalLocation"] = {"artifactLocation": {"uri": uri}}
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "level": _SARIF_LEVEL[finding.severity],
            "message": {"text": finding.message + (f" {finding.hint}" if finding.hint else "")},
            "locations": [location],
            "properties": {"errorCode": finding.error_code},
        }
        if finding.rule in index:
            result["ruleIndex"] = index[finding.rule]
        results.append(result)
    return {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "svstate",
                        "version": __version__,
                        "informationUri": "https://github.com/svstate/svstate",
                        "rules": [
                            {
                                "id": r.id,
                                "name": r.id,
                                "shortDescription": {"text": r.title},
                                "fullDescription": {"text": f"{r.title}. Source: {r.source}"},
                                "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
                                "properties": {
                                    "errorCode": r.error_code,
                                    "since": r.since.isoformat(),
                                    "confirmed": r.confirmed,
                                },
                            }
                            for r in catalogue
                        ],
                    }
                },
                "results": results,
                "properties": {"ruleset": str(ruleset)},
            }
        ],
    }


def _emit_verdict(verdict: Verdict, fmt: str, out: TextIO, uri: str | None = None) -> None:
    if fmt == "json":
        json.dump(verdict.to_dict(), out, indent=2)
        out.write("\n")
    elif fmt == "sarif":
        json.dump(_sarif([(f, uri) for f in verdict.findings], verdict.ruleset), out, indent=2)
        out.write("\n")
    else:
        out.write(f"{verdict}\n")


def _decision_status(decision: Decision, unknown: str | None) -> int:
    if decision is Decision.ALLOW:
        return EXIT_OK
    if decision is Decision.DENY:
        return EXIT_DENIED
    return {"allow": EXIT_OK, "deny": EXIT_DENIED}.get(unknown or "", EXIT_UNKNOWN)


# -- commands ---------------------------------------------------------------------------------


def _check(args: argparse.Namespace, out: TextIO) -> int:
    params = _read(args.params, "--params")
    facts = {
        name: _read(getattr(args, name), f"--{name}")
        for name in ("solution", "versions", "campaigns")
        if getattr(args, name)
    }
    verdict = preflight(args.operation, params, ruleset=args.ruleset, **facts)
    _emit_verdict(verdict, args.format, out)
    return _decision_status(verdict.decision, args.unknown)


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    document = _read(args.file, "FILE")
    verdict = validate(args.shape, document, ruleset=args.ruleset)
    _emit_verdict(verdict, args.format, out, None if args.file == "-" else args.file)
    return EXIT_OK if verdict.decision is Decision.ALLOW else EXIT_DENIED


def _progress(path: Path) -> Callable[[int], None] | None:
    """A progress line on stderr for a large trace, when stderr is a terminal."""
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size < 10_000_000 or not sys.stderr.isatty():
        return None
    done = [0]

    def advance(length: int) -> None:
        done[0] += length
        if done[0] * 100 // size != (done[0] - length) * 100 // size:
            sys.stderr.write(f"\rreplaying {path.name}: {done[0] * 100 // size:3d}%")
            sys.stderr.flush()

    return advance


def _lines(path: Path, progress: Callable[[int], None] | None) -> Any:
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if progress is not None:
                progress(len(line.encode("utf-8", errors="replace")))
            yield number, line


def _replay(args: argparse.Namespace, out: TextIO) -> int:
    if args.file == "-":
        stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        report = replay(list(enumerate(stdin, start=1)), ruleset=args.ruleset)
        uri = None
    else:
        path = Path(args.file)
        if not path.is_file():
            raise _Usage(f"cannot read trace {args.file!r}: no such file")
        progress = _progress(path)
        report = replay(_lines(path, progress), ruleset=args.ruleset)
        if progress is not None:
            sys.stderr.write("\n")
        uri = args.file
    _emit_replay(report, args, out, uri)
    return EXIT_OK if report.ok else EXIT_DENIED


def _emit_replay(report: Replay, args: argparse.Namespace, out: TextIO, uri: str | None) -> None:
    if args.format == "json":
        json.dump(report.to_dict(), out, indent=2)
        out.write("\n")
        return
    if args.format == "sarif":
        findings = [
            (RULES[s.rule].finding(f"line {s.line}: {s.operation}: {s.reason}", s.resource), uri)
            for s in sorted(report.illegal.values())
        ]
        json.dump(_sarif(findings, args.ruleset), out, indent=2)
        out.write("\n")
        return
    out.write(
        f"{'OK' if report.ok else 'ILLEGAL STEPS'}: {report.lines} lines, {report.calls} "
        f"calls, {report.denied} denied by the model, {report.refused} refused by the "
        f"service, {len(report.skipped)} skipped\n"
    )
    for step in sorted(report.illegal.values()):
        out.write(
            f"  line {step.line}: {step.rule} {step.operation} {step.resource}: {step.reason}\n"
        )
    for line, reason in report.skipped:
        out.write(f"  skipped line {line}: {reason}\n")


def _report_search(
    found: Any, fmt: str, out: TextIO, more: dict[str, Any], what: str, lines: list[str]
) -> int:
    """Print an exploration: JSON with the common fields and ``more``, or text lines."""
    if fmt == "json":
        common = {
            "bound": found.bound,
            "ruleset": found.ruleset,
            "states": found.states,
            "transitions": found.transitions,
            "seconds": round(found.seconds, 3),
            "ok": found.ok,
            "violations": list(found.violations),
            "counterexample": None if found.counterexample is None else list(found.counterexample),
        }
        json.dump({**common, **more}, out, indent=2)
        out.write("\n")
    else:
        out.write(
            f"{'OK' if found.ok else 'VIOLATED'}: {found.states:,} states, "
            f"{found.transitions:,} transitions, {what} ({found.seconds:.2f} s)\n"
        )
        lines = [*lines, *(f"violation: {v}" for v in found.violations)]
        lines += [f"{n}. {step}" for n, step in enumerate(found.counterexample or (), start=1)]
        out.writelines(f"  {line}\n" for line in lines)
    return EXIT_OK if found.ok else EXIT_DENIED


def _explore(args: argparse.Namespace, out: TextIO) -> int:
    if args.chain:
        chain = explore_chain(1 if args.bound is None else args.bound, ruleset=args.ruleset)
        reached = {name: sorted(s.value for s in found) for name, found in chain.reached.items()}
        return _report_search(
            chain,
            args.format,
            out,
            {"chain": True, "reached": reached},
            f"the whole pipeline, bound {chain.bound}, ruleset {chain.ruleset}",
            [
                f"{name.replace('_', ' ')}: {', '.join(statuses) or 'never created'}"
                for name, statuses in reached.items()
            ],
        )
    bound = 4 if args.bound is None else args.bound
    found = explore(bound, ruleset=args.ruleset, recipe=args.recipe, reduction=args.reduction)
    statuses = sorted(s.value for s in found.reached)
    return _report_search(
        found,
        args.format,
        out,
        {
            "recipe": found.recipe,
            "reduction": found.reduction,
            "reached": statuses,
            "update_reachable": found.update_reachable,
        },
        f"bound {found.bound}, ruleset {found.ruleset}, reduction {found.reduction}",
        [
            f"statuses reached: {', '.join(statuses)}",
            f"UPDATE reachable: {'yes' if found.update_reachable else 'no'}",
        ],
    )


def _dot(ruleset: object) -> str:
    lc = lifecycle_for(resolve_ruleset(ruleset))
    d = lc.declaration
    lines = [
        "digraph lifecycle {",
        "  rankdir=LR;",
        "  start [shape=point];",
        f'  start -> "{d.initial.value}";',
    ]
    for s in lc.statuses:
        shape = "doublecircle" if s in d.terminal else "circle"
        lines.append(f'  "{s.value}" [shape={shape}];')
    lines += [f'  "{e.source.value}" -> "{e.dest.value}" [label="{e.trigger}"];' for e in d.edges]
    lines.append("}")
    return "\n".join(lines)


def _diagram(args: argparse.Namespace, out: TextIO) -> int:
    if args.format == "mermaid":
        out.write(mermaid(args.ruleset) + "\n")
        return EXIT_OK
    dot = _dot(args.ruleset)
    if args.format == "dot":
        out.write(dot + "\n")
        return EXIT_OK
    binary = shutil.which("dot")
    if binary is None:
        raise _Usage(
            "svg needs graphviz's 'dot' program, which is not installed; use "
            "--format dot or --format mermaid"
        )
    done = subprocess.run(
        [binary, "-Tsvg"], input=dot, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise _Usage(f"graphviz failed: {done.stderr.strip().splitlines()[-1:]}")
    out.write(done.stdout)
    return EXIT_OK


def _rules(args: argparse.Namespace, out: TextIO) -> int:
    chosen = rules(args.ruleset)
    if args.format == "json":
        json.dump([r.to_dict() for r in chosen], out, indent=2)
        out.write("\n")
    elif args.format == "sarif":
        json.dump(_sarif([], args.ruleset), out, indent=2)
        out.write("\n")
    else:
        for r in chosen:
            code = r.error_code or "-"
            flag = "" if r.confirmed else " (unconfirmed)"
            out.write(
                f"{r.id} {r.severity:<7} {r.title}{flag}\n"
                f"      predicts {code}; since {r.since.isoformat()}\n"
                f"      source: {r.source}\n"
            )
    return EXIT_OK


def _parser() -> _Parser:
    parser = _Parser(
        prog="svstate",
        description="Check Amazon Personalize calls, responses "
        "and traces against svstate's model of the solution-version lifecycle.",
    )
    parser.add_argument("--version", action="version", version=f"svstate {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(
        sub: argparse.ArgumentParser,
        formats: Sequence[str] = ("text", "json", "sarif"),
    ) -> None:
        sub.add_argument(
            "--ruleset",
            default=DEFAULT_RULESET,
            help="the API date whose rules apply: YYYY-MM-DD from 2019-06-10, or "
            f"'latest' (default {DEFAULT_RULESET})",
        )
        sub.add_argument("--format", choices=formats, default=formats[0])

    check = commands.add_parser("check", help="pre-flight one call")
    check.add_argument(
        "operation",
        help="CreateSolutionVersion, StopSolutionVersionCreation, "
        "CreateCampaign or DeleteSolution (or boto3's snake_case names)",
    )
    check.add_argument(
        "--params",
        required=True,
        help="the request as JSON: inline, file://PATH, or - for standard input",
    )
    check.add_argument("--solution", help="what 'aws personalize describe-solution' printed")
    check.add_argument("--versions", help="what 'list-solution-versions' printed (every page)")
    check.add_argument("--campaigns", help="what 'list-campaigns --solution-arn' printed")
    check.add_argument(
        "--unknown",
        choices=("allow", "deny"),
        help="exit 0 (allow) or 1 (deny) instead of 3 when facts are missing",
    )
    common(check)
    check.set_defaults(run=_check)

    val = commands.add_parser("validate", help="check a response document")
    val.add_argument("shape", choices=sorted(RESPONSES))
    val.add_argument("file", help="the JSON document, or - for standard input")
    common(val)
    val.set_defaults(run=_validate)

    rep = commands.add_parser("replay", help="check a JSON Lines trace of calls")
    rep.add_argument("file", help="the trace, or - for standard input")
    common(rep)
    rep.set_defaults(run=_replay)

    exp = commands.add_parser("explore", help="search every state of a solution")
    exp.add_argument(
        "--bound",
        type=int,
        default=None,
        help="versions per solution (0..10; 0..8 unreduced; default 4); with --chain, "
        "resources of each kind (1..2; default 1)",
    )
    exp.add_argument(
        "--chain",
        action="store_true",
        help="search the whole pipeline, dataset group to campaign updates and batch inference",
    )
    exp.add_argument(
        "--reduction",
        choices=("quotient", "symmetry", "none"),
        default="quotient",
        help="which states count as one (default: what the rules can tell apart)",
    )
    exp.add_argument("--recipe", default=HRNN_COLDSTART)
    common(exp, ("text", "json"))
    exp.set_defaults(run=_explore)

    dia = commands.add_parser("diagram", help="draw the lifecycle")
    common(dia, ("mermaid", "dot", "svg"))
    dia.set_defaults(run=_diagram)

    rul = commands.add_parser("rules", help="list the rules in force, with their sources")
    common(rul)
    rul.set_defaults(run=_rules)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``svstate`` command; returns its exit status."""
    try:
        args = _parser().parse_args(argv)
        return int(args.run(args, sys.stdout))
    except SystemExit as stop:  # --help, --version
        return int(stop.code or 0)
    except (_Usage, SvstateError) as problem:
        message = str(problem).splitlines()[0] if str(problem) else type(problem).__name__
        sys.stderr.write(
            f"svstate: {message}\n" if not message.startswith("svstate") else f"{message}\n"
        )
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # a bug in svstate: still one line, never a traceback
        sys.stderr.write(
            f"svstate: internal error ({type(error).__name__}: {error}); "
            "please report it with the command line that caused it\n"
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("svstate: interrupted\n")
        return 130


def entry() -> None:
    """The console script."""
    sys.exit(main())
