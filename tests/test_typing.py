"""The fake and mocked clients are typed as the real one: mypy checks a user's test as it
checks their pipeline (``mypy_boto3_personalize.PersonalizeClient``, the ``testing`` extra).

mypy runs here on a small user test file, once for the module.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")
pytest.importorskip("mypy_boto3_personalize")

USER_TEST = """
from mypy_boto3_personalize import PersonalizeClient

from svstate.testing import FakePersonalize, fake_personalize, mock_personalize


def uses_the_fake() -> None:
    client = fake_personalize()
    reveal_type(client.create_dataset_group)
    state: FakePersonalize = client.fake          # the fake is there, typed
    state.clock.advance(60)
    client.create_dataset_group(name=1)           # E: a name is a str
    client.describe_solution(solution_arn="x")    # E: the member is solutionArn


def uses_the_mock() -> None:
    with mock_personalize() as mock:
        client = mock.client()
        reveal_type(client)
        client.list_dataset_groups(maxResults="10")  # E: maxResults is an int


def a_pipeline(client: PersonalizeClient) -> str:
    return client.create_dataset_group(name="g")["datasetGroupArn"]


def test_with_the_plugin(personalize: PersonalizeClient) -> None:
    a_pipeline(fake_personalize())                  # a fake client is a PersonalizeClient
    a_pipeline(personalize)
"""


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("typing")
    path = folder / "test_user.py"
    path.write_text(textwrap.dedent(USER_TEST))
    stdout, stderr, _ = mypy_api.run(
        ["--strict", "--cache-dir", str(folder / ".mypy_cache"), "--no-error-summary", str(path)]
    )
    assert not stderr, stderr
    return stdout


def _lines(output: str, kind: str) -> dict[int, str]:
    found: dict[int, str] = {}
    for line in output.splitlines():
        match = re.match(rf".*test_user\.py:(\d+): {kind}: (.*)", line)
        if match:
            found[int(match.group(1))] = match.group(2)
    return found


def _line_of(marker: str) -> int:
    for number, line in enumerate(textwrap.dedent(USER_TEST).splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(marker)


def test_methods_are_the_real_client_s(mypy_output: str) -> None:
    notes = _lines(mypy_output, "note")
    assert "CreateDatasetGroupRequestTypeDef" in notes[_line_of("reveal_type(client.create")]
    assert "PersonalizeClient" in notes[_line_of("reveal_type(client)")]


def test_wrong_calls_are_errors_and_right_ones_are_not(mypy_output: str) -> None:
    errors = _lines(mypy_output, "error")
    expected = {_line_of(m) for m in ("name=1", "solution_arn=", 'maxResults="10"')}
    assert set(errors) == expected, mypy_output
    assert "solution_arn" in errors[_line_of("solution_arn=")]


def test_nothing_of_svstate_s_own_is_reported(mypy_output: str) -> None:
    reported = {Path(line.split(":", 1)[0]).name for line in mypy_output.splitlines()}
    assert reported == {"test_user.py"}
