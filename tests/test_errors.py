"""Every public exception crosses a process boundary: pickle, deepcopy, a message alone."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import pytest

import svstate
import svstate.boto
import svstate.testing
import svstate.testing.strategies

SOL = "arn:aws:personalize:us-east-1:123456789012:solution/movies"
HRNN = "arn:aws:personalize:::recipe/aws-hrnn-coldstart"

PUBLIC_MODULES = (svstate, svstate.boto, svstate.testing, svstate.testing.strategies)


def _exported_exceptions() -> Iterator[type[BaseException]]:
    seen: set[type[BaseException]] = set()
    for module in PUBLIC_MODULES:
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, BaseException) and value not in seen:
                seen.add(value)
                yield value


EXCEPTIONS = sorted(_exported_exceptions(), key=lambda cls: cls.__qualname__)


def _raised_examples() -> list[BaseException]:
    """Errors as svstate raises them, each carrying its attributes."""
    raised: list[BaseException] = []
    version = svstate.Solution(SOL, recipe_arn=HRNN).create_version("FULL")
    with pytest.raises(svstate.IllegalTransition) as transition:
        version.fail("late")
    raised.append(transition.value)
    with pytest.raises(svstate.PreflightDenied) as denied:
        svstate.preflight("DeleteSolution", {}).raise_if_denied()
    raised.append(denied.value)
    with pytest.raises(svstate.PreconditionFailed) as failed:
        svstate.Solution(SOL, recipe_arn=HRNN).create_version("UPDATE")
    raised.append(failed.value)
    for bad in (lambda: svstate.Status.parse("ACTIV"), lambda: svstate.Ruleset.parse("2018")):
        with pytest.raises(svstate.SvstateError) as error:
            bad()
        raised.append(error.value)
    return raised


def _same(a: BaseException, b: BaseException) -> None:
    assert type(a) is type(b)
    assert str(a) == str(b)
    assert a.args == b.args
    assert vars(a) == vars(b)


def test_every_exported_exception_is_found() -> None:
    names = {cls.__name__ for cls in EXCEPTIONS}
    assert {"SvstateError", "IllegalTransition", "PreflightDenied", "PreconditionFailed"} <= names
    assert "InvalidArgument" in names


@pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda cls: cls.__qualname__)
def test_every_exported_exception_is_built_from_a_message_and_round_trips(
    cls: type[BaseException],
) -> None:
    error = cls("something went wrong; do this instead.")
    assert str(error) == "something went wrong; do this instead."
    _same(error, pickle.loads(pickle.dumps(error)))
    _same(error, copy.deepcopy(error))
    _same(error, copy.copy(error))


@pytest.mark.parametrize("error", _raised_examples(), ids=lambda e: type(e).__name__)
def test_raised_errors_round_trip_with_their_attributes(error: BaseException) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        _same(error, pickle.loads(pickle.dumps(error, protocol=protocol)))
    _same(error, copy.deepcopy(error))


def test_illegal_transition_keeps_state_trigger_and_legal() -> None:
    version = svstate.Solution(SOL, recipe_arn=HRNN).create_version("FULL")
    with pytest.raises(svstate.IllegalTransition) as caught:
        version.succeed()
    back = pickle.loads(pickle.dumps(caught.value))
    assert back.state is svstate.Status.CREATE_PENDING
    assert back.trigger == "succeed"
    assert back.legal == caught.value.legal
    assert "start" in back.legal


def test_verdict_errors_keep_their_verdict() -> None:
    with pytest.raises(svstate.PreconditionFailed) as caught:
        svstate.Solution(SOL, recipe_arn=HRNN).create_version("UPDATE")
    back = copy.deepcopy(caught.value)
    assert back.verdict == caught.value.verdict
    assert back.verdict is not None
    assert back.verdict.findings[0].rule == "SV301"
    assert svstate.PreflightDenied("no").verdict is None


def _raise_in_child(arn: str) -> None:
    svstate.Solution(arn, recipe_arn=HRNN).create_version("FULL").fail("late")


def test_an_error_raised_in_another_process_arrives_whole() -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_raise_in_child, SOL)
        with pytest.raises(svstate.IllegalTransition) as caught:
            future.result(timeout=60)
    assert caught.value.trigger == "fail"
    assert caught.value.state is svstate.Status.CREATE_PENDING
