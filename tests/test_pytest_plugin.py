"""Tests for svstate's pytest plugin, run as a user's test suite runs (pytester, in a subprocess).

The plugin must be found through its ``pytest11`` entry point (no
``pytest_plugins`` line in the user's conftest), give each test a fresh
mock, read the marker on tests, classes and modules, work for plain and
hypothesis tests, and turn a bad marker into one clear error.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

_INI = """
[pytest]
addopts = -p no:cacheprovider -p no:randomly
filterwarnings = error
asyncio_default_fixture_loop_scope = function
"""


def _run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makeini(_INI)
    pytester.makepyfile(test_user=source)
    return pytester.runpytest_subprocess(*args)


def test_the_plugin_is_found_by_its_entry_point(pytester: pytest.Pytester) -> None:
    pytester.makeini(_INI)
    result = pytester.runpytest_subprocess("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.personalize(**options):*mock_personalize*"])


def test_fixtures_give_a_client_its_clock_and_its_state(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
import time
import boto3

def create(client):
    return client.create_dataset_group(name="movies")["datasetGroupArn"]

def test_the_client_and_the_code_s_own_client_share_one_fake(
    personalize, personalize_clock, personalize_state
):
    arn = create(personalize)
    own = boto3.client("personalize")          # what the code under test does
    time.sleep(31)                              # advances the fake clock
    assert own.describe_dataset_group(datasetGroupArn=arn)["datasetGroup"]["status"] == "ACTIVE"
    assert personalize_clock.seconds() > 31
    assert [c[0] for c in personalize_state.calls] == ["CreateDatasetGroup", "DescribeDatasetGroup"]

def test_each_test_has_a_fresh_account(personalize):
    assert personalize.list_dataset_groups()["datasetGroups"] == []
""",
    )
    result.assert_outcomes(passed=2)


def test_the_marker_sets_the_options_closest_first(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
import pytest

pytestmark = pytest.mark.personalize(ruleset="2019-10-14")

def test_module_marker(personalize_state):
    assert personalize_state.ruleset.name == "2019-10-14"

@pytest.mark.personalize(time=False, region="eu-west-1")
def test_own_marker_wins(personalize, personalize_mock, personalize_clock):
    import time
    time.sleep(0.01)
    assert personalize_clock.seconds() == 0          # time=False: real sleeping
    assert personalize.meta.region_name == "eu-west-1"
    assert personalize_mock.fake.ruleset.name != "2019-10-14"

@pytest.mark.personalize(guard="enforce")
class TestGuarded:
    def test_denied_before_sending(self, personalize, personalize_mock):
        import svstate
        group = personalize.create_dataset_group(name="g")["datasetGroupArn"]
        with pytest.raises(svstate.PreflightDenied):
            personalize.create_dataset(
                name="d", datasetGroupArn=group, datasetType="Interactions",
                schemaArn="arn:aws:personalize:us-east-1:123456789012:schema/none",
            )
        assert personalize_mock.guards[0].denials
""",
    )
    result.assert_outcomes(passed=3)


def test_failures_are_injected_through_the_state(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
import time
import pytest
from svstate.boto import waiter, WaiterFailed

def test_an_import_fails_with_its_reason(personalize, personalize_state):
    personalize_state.fail_next("dataset_import_job", "Input CSV is missing ITEM_ID")
    personalize.create_schema(name="s", schema="{}")
    group = personalize.create_dataset_group(name="g")["datasetGroupArn"]
    waiter(personalize, "dataset_group_active").wait(datasetGroupArn=group)
    dataset = personalize.create_dataset(
        name="d", datasetGroupArn=group, datasetType="Interactions",
        schemaArn="arn:aws:personalize:us-east-1:123456789012:schema/s",
    )["datasetArn"]
    waiter(personalize, "dataset_active").wait(datasetArn=dataset)
    job = personalize.create_dataset_import_job(
        jobName="j", datasetArn=dataset, roleArn="arn:aws:iam::123456789012:role/r",
        dataSource={"dataLocation": "s3://b/i.csv"},
    )["datasetImportJobArn"]
    with pytest.raises(WaiterFailed, match="missing ITEM_ID"):
        waiter(personalize, "dataset_import_job_active").wait(datasetImportJobArn=job)
""",
    )
    result.assert_outcomes(passed=1)


def test_hypothesis_tests_use_the_decorator_for_a_fresh_account_per_example(
    pytester: pytest.Pytester,
) -> None:
    result = _run(
        pytester,
        """
import boto3
from hypothesis import HealthCheck, given, settings, strategies as st
from svstate.testing import mock_personalize

names = st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), unique=True, max_size=4)

@settings(max_examples=15, deadline=None)
@given(names)
@mock_personalize()
def test_fresh_account_per_example(names):
    client = boto3.client("personalize")
    for name in names:
        client.create_dataset_group(name=name)
    assert len(client.list_dataset_groups()["datasetGroups"]) == len(names)

@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 3))
def test_one_account_for_every_example(personalize, n):
    personalize.list_dataset_groups()
""",
    )
    result.assert_outcomes(passed=2)


@pytest.mark.parametrize(
    ("marker", "match"),
    [
        ('"latest"', "got the positional ('latest',); pass mock_personalize's options by name"),
        ("rulset='latest'", "unexpected keyword argument 'rulset'*takes mock_personalize's"),
        ("guard='block'", "guard is 'block'*pass None*'enforce' or 'monitor'"),
    ],
)
def test_a_bad_marker_is_one_clear_error(
    pytester: pytest.Pytester, marker: str, match: str
) -> None:
    result = _run(
        pytester,
        f"""
import pytest

@pytest.mark.personalize({marker})
def test_it(personalize):
    pass
""",
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*SvstateError*{match}*"])


def test_the_plugin_can_be_turned_off(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
def test_it(personalize):
    pass
""",
        "-p",
        "no:svstate",
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'personalize' not found*"])


def test_the_docs_example_runs_as_a_test_file(pytester: pytest.Pytester) -> None:
    from pathlib import Path

    text = (Path(__file__).parent.parent / "docs" / "testing.md").read_text()
    after = text.split("<!-- plugin-example", 1)[1]
    source = after.split("```python\n", 1)[1].split("```", 1)[0]
    result = _run(pytester, source)
    result.assert_outcomes(passed=3)
