"""The Personalize MLOps Step Functions pipeline: deploy from a parameter file, then delete.

Source: aws-samples/amazon-personalize-samples, commit
5a69fc41c0825ad0baa2fd3b6fb7dbff5182b9cd (last change under next_steps/operations/ml_ops:
33372418a74516f579a833ac44c9a2db0bd800dc), directory next_steps/operations/ml_ops:

* personalize-step-functions/template.yaml: the SAM template, with the two state
  machines (DeployStateMachine, DeleteAllDatasetGroupResources) and each Lambda
  function's code, handler and environment;
* personalize-step-functions/lambdas/** and shared/python/** (the Lambda layer): the
  functions' code;
* example/params.json: the example parameter file (and example/data/*: its CSVs,
  replaced here by synthetic ones).

All are copied verbatim into this directory (``template.yaml``, ``lambdas/``,
``shared/``, ``params.json``) and run unmodified.

Licence: MIT. Copyright (c) 2020 Amazon Inc. (the directory's LICENSE, copied
here as ``LICENSE``). The licence's notice follows:

    Permission is hereby granted, free of charge, to any person obtaining a copy
    of this software and associated documentation files (the "Software"), to deal
    in the Software without restriction, including without limitation the rights
    to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
    copies of the Software, and to permit persons to whom the Software is
    furnished to do so, subject to the following conditions:

    The above copyright notice and this permission notice shall be included in all
    copies or substantial portions of the Software.

    THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
    IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
    FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
    AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
    LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
    OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
    SOFTWARE.

Adapted (everything here is harness; the published code is the copied files):
CloudFormation is played by creating the stack's bucket, SNS topic, IAM role and
state machines in moto; the S3 notification that starts the pipeline is played by
invoking the S3 Lambda with an ``ObjectCreated`` record; AWS Lambda by importing
each function's handler module (its directory and the layer on ``sys.path``, its
environment from the template); AWS Step Functions by :class:`StateMachine`, a
small interpreter of the published Amazon States Language (Task, Pass, Parallel,
Map, Fail; Retry sleeps with ``time.sleep``, so the mock's clock moves), running
Parallel branches and Map iterations one after another rather than concurrently.
The example CSVs are replaced by small synthetic ones.

What ``run_pipeline()`` does, as a user following the README: upload the datasets,
upload ``params.json`` (a deploy execution), and after a failed execution upload it
again (as the failure notification invites), then start the delete state machine on
the dataset group. It returns each execution's last state and output.

Known defect of the published code: ``create-solution/solution.py`` polls with
``describe_solution(solutionVersion=...)`` (a parameter DescribeSolution does not
have), reached whenever the solution just created is not ACTIVE yet, which is
always the case right after CreateSolution; botocore raises
``ParamValidationError``, the "Create Solutions" Parallel state fails, and the deploy
execution ends in its "Fail" task (which notifies and ends). The next execution finds
that solution ACTIVE and gets one solution further, so the three solutions of the
example take four uploads, on the real service as under the mock.

Two functions poll without sleeping (``create-solution``, ``create-filters``): they
end under the mock because each call takes ``latency`` (0.1 s) on its clock.
"""

# ruff: noqa
# (the harness is plain test code; the published code is in the copied files)

from __future__ import annotations

import copy
import importlib.util
import json
import os
import sys
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
REGION = "us-east-1"


# -- the template: functions and state machines ---------------------------------------


def _load_template() -> dict[str, Any]:
    import yaml  # PyYAML: reads the published SAM template

    class _Loader(yaml.SafeLoader):
        pass

    def _tag(loader: Any, suffix: str, node: Any) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return {"!" + suffix: loader.construct_scalar(node)}
        if isinstance(node, yaml.SequenceNode):
            return {"!" + suffix: loader.construct_sequence(node, deep=True)}
        return {"!" + suffix: loader.construct_mapping(node, deep=True)}

    _Loader.add_multi_constructor("!", _tag)
    with open(os.path.join(HERE, "template.yaml")) as f:
        return yaml.load(f, Loader=_Loader)


class _Failed(Exception):
    """A state's failure, as Step Functions names it: an error name and a cause."""

    def __init__(self, error: str, cause: str):
        super().__init__(f"{error}: {cause}")
        self.error, self.cause = error, cause


class Stack:
    """The deployed stack: its resources (in moto) and its Lambda functions (imported)."""

    def __init__(self, template: dict[str, Any], physical: dict[str, str]):
        self.template = template
        self.physical = physical  # logical id -> name or ARN (Ref / GetAtt .Arn)
        self._handlers: dict[str, Any] = {}

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and len(value) == 1:
            ((tag, arg),) = value.items()
            if tag in ("!Ref", "Ref"):
                return self.physical[arg]
            if tag in ("!GetAtt", "GetAtt"):
                name = arg if isinstance(arg, str) else ".".join(arg)
                logical = name.split(".")[0]
                return self.physical[logical]
        return value

    def function_arn(self, logical: str) -> str:
        return f"arn:aws:lambda:{REGION}:{self.physical['__account__']}:function:{logical}"

    def invoke(self, function_arn: str, event: Any) -> Any:
        """Invoke a Lambda function as the Lambda service does (cold start on first use)."""
        logical = function_arn.rsplit(":", 1)[1]
        handler = self._handlers.get(logical)
        properties = self.template["Resources"][logical]["Properties"]
        environment = {
            k: str(self.resolve(v))
            for k, v in properties.get("Environment", {}).get("Variables", {}).items()
        }
        environment["AWS_REGION"] = REGION
        saved = {k: os.environ.get(k) for k in environment}
        os.environ.update(environment)
        try:
            if handler is None:
                handler = self._handlers[logical] = self._import(logical, properties)
            payload = json.loads(json.dumps(event))
            try:
                result = handler(payload, None)
            except Exception as error:  # a function error: its type names the error
                raise _Failed(type(error).__name__, str(error)) from error
            try:
                return json.loads(json.dumps(result))
            except TypeError as error:
                raise _Failed("Runtime.MarshalError", str(error)) from error
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    def _import(self, logical: str, properties: dict[str, Any]) -> Any:
        code_dir = os.path.join(HERE, properties["CodeUri"])
        module_name, function = properties["Handler"].rsplit(".", 1)
        path = os.path.join(code_dir, module_name + ".py")
        layers = [os.path.join(HERE, "shared", "python")] if properties.get("Layers") else []
        sys.path[:0] = [code_dir, *layers]
        try:
            spec = importlib.util.spec_from_file_location(f"_mlops_{logical}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        finally:
            for p in [code_dir, *layers]:
                sys.path.remove(p)
        return getattr(module, function)


def _matches(names: list[str], error: str) -> bool:
    if "States.ALL" in names or error in names:
        return True
    return "States.TaskFailed" in names and not error.startswith("States.")


def _get(path: str, data: Any) -> Any:
    if path == "$":
        return data
    value = data
    for key in path[2:].split("."):
        if not isinstance(value, dict) or key not in value:
            raise _Failed("States.Runtime", f"the JSONPath {path} could not be found in the input")
        value = value[key]
    return value


def _set(path: str | None, data: Any, result: Any) -> Any:
    if path is None:
        return data
    if path == "$":
        return result
    out = copy.deepcopy(data)
    node = out
    keys = path[2:].split(".")
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = result
    return out


def _parameters(template: Any, data: Any) -> Any:
    if isinstance(template, dict):
        return {
            (k[:-2] if k.endswith(".$") else k): (
                _get(v, data) if k.endswith(".$") else _parameters(v, data)
            )
            for k, v in template.items()
        }
    if isinstance(template, list):
        return [_parameters(v, data) for v in template]
    return template


class StateMachine:
    """Run a published ASL definition as Step Functions would (one execution at a time)."""

    def __init__(self, stack: Stack, definition: dict[str, Any]):
        self.stack = stack
        self.definition = definition
        self.visited: list[str] = []

    def execute(self, execution_input: Any) -> tuple[str, Any]:
        """(the last state run, the execution's output); a failure raises :class:`_Failed`."""
        return self._states(self.definition, execution_input)

    def _states(self, machine: dict[str, Any], data: Any) -> tuple[str, Any]:
        name = machine["StartAt"]
        while True:
            state = machine["States"][name]
            self.visited.append(name)
            try:
                output = self._state(state, data)
            except _Failed as failure:
                catcher = next(
                    (
                        c
                        for c in state.get("Catch", [])
                        if _matches(c["ErrorEquals"], failure.error)
                    ),
                    None,
                )
                if catcher is None:
                    raise
                data = _set(
                    catcher.get("ResultPath", "$"),
                    data,
                    {"Error": failure.error, "Cause": failure.cause},
                )
                name = catcher["Next"]
                continue
            if state.get("End") or state["Type"] == "Succeed":
                return name, output
            data, name = output, state["Next"]

    def _state(self, state: dict[str, Any], data: Any) -> Any:
        kind = state["Type"]
        if kind == "Fail":
            raise _Failed(state.get("Error", "States.Fail"), state.get("Cause", ""))
        if kind == "Succeed":
            return data
        if kind == "Wait":
            time.sleep(state["Seconds"])
            return data
        effective = _get(state.get("InputPath", "$"), data)
        if kind == "Pass":
            if "Result" in state:
                result = state["Result"]
            elif "Parameters" in state:
                result = _parameters(state["Parameters"], effective)
            else:
                result = effective
        elif kind == "Task":
            payload = (
                _parameters(state["Parameters"], effective) if "Parameters" in state else effective
            )
            result = self._task(state, payload)
        elif kind == "Parallel":
            result = [
                self._states(branch, copy.deepcopy(effective))[1] for branch in state["Branches"]
            ]
        elif kind == "Map":
            items = _get(state.get("ItemsPath", "$"), effective)
            result = [self._states(state["Iterator"], copy.deepcopy(item))[1] for item in items]
        else:
            raise NotImplementedError(f"state type {kind}")
        return _get(state.get("OutputPath", "$"), _set(state.get("ResultPath", "$"), data, result))

    def _task(self, state: dict[str, Any], payload: Any) -> Any:
        attempts: dict[int, int] = {}
        while True:
            try:
                return self.stack.invoke(state["Resource"], payload)
            except _Failed as failure:
                retrier = next(
                    (
                        i
                        for i, r in enumerate(state.get("Retry", []))
                        if _matches(r["ErrorEquals"], failure.error)
                    ),
                    None,
                )
                if retrier is None:
                    raise
                rule = state["Retry"][retrier]
                n = attempts.get(retrier, 0)
                if n >= rule.get("MaxAttempts", 3):
                    raise
                time.sleep(rule.get("IntervalSeconds", 1) * rule.get("BackoffRate", 2.0) ** n)
                attempts[retrier] = n + 1


# -- the run ----------------------------------------------------------------------------


def _definition(stack: Stack, logical: str) -> dict[str, Any]:
    text, mapping = stack.template["Resources"][logical]["Properties"]["DefinitionString"]["!Sub"]
    for key, value in mapping.items():
        function = value["!GetAtt"].split(".")[0]
        text = text.replace("${" + key + "}", stack.function_arn(function))
    return json.loads(text)


def deploy_stack() -> Stack:
    """ADAPTED: CloudFormation's part, done in moto (bucket, topic, role, state machines)."""
    import boto3

    template = _load_template()
    account = boto3.client("sts").get_caller_identity()["Account"]
    physical: dict[str, str] = {"__account__": account, "ParameterFile": "params.json"}
    bucket = "personalize-mlops-inputbucket"
    boto3.client("s3").create_bucket(Bucket=bucket)
    physical["InputBucket"] = bucket
    physical["NotificationTopic"] = boto3.client("sns").create_topic(Name="StepsTopic")["TopicArn"]
    iam = boto3.client("iam")
    role = iam.create_role(
        RoleName="PersonalizeRole",
        AssumeRolePolicyDocument=json.dumps(
            template["Resources"]["PersonalizeRole"]["Properties"]["AssumeRolePolicyDocument"]
        ),
    )["Role"]["Arn"]
    # ADAPTED: the role's AWS managed policies are not attached (moto loads them only on
    # request); its inline S3 policy is.
    for policy in template["Resources"]["PersonalizeRole"]["Properties"]["Policies"]:
        iam.put_role_policy(
            RoleName="PersonalizeRole",
            PolicyName=policy["PolicyName"],
            PolicyDocument=json.dumps(policy["PolicyDocument"]),
        )
    physical["PersonalizeRole"] = role
    stack = Stack(template, physical)
    sfn = boto3.client("stepfunctions")
    for logical in ("DeployStateMachine", "DeleteAllDatasetGroupResources"):
        arn = sfn.create_state_machine(
            name=logical,
            definition=json.dumps(_definition(stack, logical)),
            roleArn=f"arn:aws:iam::{account}:role/StatesExecutionRole",
        )["stateMachineArn"]
        physical[logical] = arn
    return stack


def _execute(stack: Stack, logical: str, execution_arn: str) -> tuple[str, Any]:
    """ADAPTED: Step Functions' part: run the execution moto recorded."""
    import boto3

    execution = boto3.client("stepfunctions").describe_execution(executionArn=execution_arn)
    machine = StateMachine(stack, _definition(stack, logical))
    try:
        last, output = machine.execute(json.loads(execution["input"]))
    except _Failed as failure:
        last, output = "(failed)", {"Error": failure.error, "Cause": failure.cause}
    print(f"{logical}: {' -> '.join(machine.visited)}")
    return last, output


def run() -> None:
    run_pipeline()


def run_pipeline() -> dict[str, Any]:
    """Run the pipeline; the deploy and delete executions' (last state, output)."""
    import boto3

    stack = deploy_stack()
    s3 = boto3.client("s3")
    bucket = stack.physical["InputBucket"]

    # The README: upload the datasets under Interactions/ and Items/ ...
    # ADAPTED: small synthetic CSVs in the example's columns instead of example/data/*.
    interactions = "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n" + "".join(
        f"{1 + i % 7},{1 + (i * 5) % 11},{828124615 + 60 * i},{('watch', 'click')[i % 2]}\n"
        for i in range(60)
    )
    items = "ITEM_ID,GENRE,YEAR\n" + "".join(
        f"{m},Comedy|Drama,{1965 + m}\n" for m in range(1, 12)
    )
    s3.put_object(Bucket=bucket, Key="Interactions/interactions.csv", Body=interactions.encode())
    s3.put_object(Bucket=bucket, Key="Items/item-meta.csv", Body=items.encode())

    # ... then the parameter file at the root, which starts the deploy workflow.
    with open(os.path.join(HERE, "params.json"), "rb") as f:
        s3.put_object(Bucket=bucket, Key="params.json", Body=f.read())
    # ADAPTED: the bucket's s3:ObjectCreated notification invokes the S3 Lambda.
    record = {"Records": [{"s3": {"bucket": {"name": bucket}, "object": {"key": "params.json"}}}]}
    started = json.loads(stack.invoke(stack.function_arn("S3Lambda"), record))
    deploys = [_execute(stack, "DeployStateMachine", started["executionArn"])]

    # An execution fails in "Create Solutions" for each solution created in it (the defect
    # described above). A user reads the failure notification and uploads params.json
    # again; the functions skip what exists, the solution is ACTIVE by then, and the next
    # execution gets one solution further. At most one upload per solution type.
    while deploys[-1][0] == "Fail" and len(deploys) <= 4:
        time.sleep(300)  # the user reading the notification (under the mock: no wait)
        with open(os.path.join(HERE, "params.json"), "rb") as f:
            s3.put_object(Bucket=bucket, Key="params.json", Body=f.read())
        started = json.loads(stack.invoke(stack.function_arn("S3Lambda"), record))
        deploys.append(_execute(stack, "DeployStateMachine", started["executionArn"]))

    # The delete workflow, started by hand on the dataset group the deploy created.
    dataset_group_arn = (
        f"arn:aws:personalize:{REGION}:{stack.physical['__account__']}:dataset-group/"
        + (json.load(open(os.path.join(HERE, "params.json")))["datasetGroup"]["name"])
    )
    started = boto3.client("stepfunctions").start_execution(
        stateMachineArn=stack.physical["DeleteAllDatasetGroupResources"],
        input=json.dumps({"datasetGroupArn": dataset_group_arn}),
    )
    delete = _execute(stack, "DeleteAllDatasetGroupResources", started["executionArn"])
    return {"deploys": deploys, "delete": delete}
