# SPDX-License-Identifier: Apache-2.0
"""The product sends ECS only requests the ECS API accepts (README: Resource
properties, Command line).

- Keys inside Overrides, NetworkConfiguration and the other pass-through
  objects are checked against the ECS shapes before anything runs: a misspelt
  one fails the request with its path and the nearest name, and no task runs.
- Every member of those shapes, given as CloudFormation gives it (strings,
  PascalCase), reaches ECS typed and camelCased, and valid.
- `ecs-tasks run` merges --container/--env into the --overrides entry of that
  container: one override per container.
- The fault proxy checks every ECS request with botocore's validator
  (harness/ecs_shapes.py; the suite's check is check_requests.py): the check
  catches a planted invalid request, and this module's requests are all valid.
"""
import contextlib
import http.client
import io
import json
import os
import re
import subprocess
import tempfile
import unittest
import urllib.parse

import check_requests
from cfn_support import CLUSTER, FAMILY, World, body_of, cli_binary, event, props
from harness import ecs_shapes, transcript
from harness.fault_proxy import FaultProxy

W = None
BIN = ""
HERE = os.path.dirname(os.path.abspath(__file__))

# The ECS API's answer to a RunTask the tests only look at: ECS refusing it
# keeps moto's RunTask (which knows few of these members) out of the test.
CANNED_REFUSAL = dict(fault="status", status=400, times=None,
                      headers={"Content-Type": "application/x-amz-json-1.1"},
                      body=b'{"__type":"ClientException","message":"canned by the test"}')


def setUpModule():
    global W, BIN
    W = World()
    BIN = cli_binary()


def tearDownModule():
    W.close()


class Case(unittest.TestCase):
    def setUp(self):
        W.fresh()

    def tearDown(self):
        # Whatever the test did, the product sent ECS nothing it would refuse.
        invalid = [(r["operation"], r["invalid"]) for r in W.proxy.requests() if r["invalid"]]
        self.assertEqual(invalid, [])

    def calls(self, operation):
        return W.proxy.requests(operation)


class CustomResourceTest(Case):
    def setUp(self):
        super().setUp()
        self.rt = W.emulator_for(self, timeout_s=30)

    def send(self, ev):
        return body_of(W.one_response(self, self.rt, ev))

    def expect_refused(self, message, **properties):
        body = self.send(event(W, "Create", props(**properties)))
        self.assertEqual(body["Status"], "FAILED")
        self.assertEqual(body["Reason"], "Invalid properties: " + message)
        self.assertEqual(self.calls("RunTask") + self.calls("StartTask"), [], "no task started")

    def test_misspelt_command_fails_with_path_and_suggestion(self):
        # Before: ECS ignored "comand" and ran the default command, SUCCESS.
        self.expect_refused(
            "Overrides.ContainerOverrides[0].Comand: unknown key (did you mean Command?)",
            Overrides={"ContainerOverrides": [{"Name": "app", "Comand": ["migrate", "up"]}]})
        self.expect_refused(
            "Overrides.containerOverrides[0].comand: unknown key (did you mean command?)",
            Overrides={"containerOverrides": [{"name": "app", "comand": ["migrate", "up"]}]})

    def test_misspelt_awsvpc_configuration_fails(self):
        self.expect_refused(
            "NetworkConfiguration.AwsVpcConfiguration: unknown key "
            "(did you mean AwsvpcConfiguration?)",
            NetworkConfiguration={"AwsVpcConfiguration": {"Subnets": ["subnet-1"]}})
        self.expect_refused(
            "NetworkConfiguration.AwsvpcConfiguration.Subnets: required key is missing",
            NetworkConfiguration={"AwsvpcConfiguration": {"AssignPublicIp": "ENABLED"}})
        self.expect_refused(
            "NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp: 'Enabled' is not allowed "
            "(did you mean ENABLED?)",
            NetworkConfiguration={"AwsvpcConfiguration": {"Subnets": ["subnet-1"],
                                                          "AssignPublicIp": "Enabled"}})

    def test_misspelt_keys_of_the_other_objects_fail(self):
        self.expect_refused(
            "CapacityProviderStrategy[0].Weigth: unknown key (did you mean Weight?)",
            CapacityProviderStrategy=[{"CapacityProvider": "FARGATE", "Weigth": "1"}])
        self.expect_refused(
            "PlacementConstraints[0].Expresion: unknown key (did you mean Expression?)",
            PlacementConstraints=[{"Type": "memberOf", "Expresion": "attribute:x == y"}])
        self.expect_refused(
            "PlacementStrategy[0].Feild: unknown key (did you mean Field?)",
            PlacementStrategy=[{"Type": "spread", "Feild": "instanceId"}])
        self.expect_refused("Tags[0].Name: unknown key (known keys: Key, Value)",
                            Tags=[{"Name": "team", "Value": "data"}])

    def test_run_task_only_members_refused_with_instances(self):
        # Before: sent to StartTask, which has no such members.
        for name, value in (("LaunchType", "EC2"),
                            ("CapacityProviderStrategy", [{"CapacityProvider": "FARGATE"}]),
                            ("PlatformVersion", "LATEST"),
                            ("PlacementConstraints", [{"Type": "distinctInstance"}]),
                            ("PlacementStrategy", [{"Type": "spread", "Field": "instanceId"}])):
            self.expect_refused(
                "%s: not allowed with Instances (StartTask places the tasks on the given "
                "instances and takes no %s)" % (name, name),
                Instances=[W.instance_arn], **{name: value})

    def test_spelt_right_it_runs(self):
        body = self.send(event(W, "Create", props(
            Overrides={"ContainerOverrides": [{"Name": "app", "Command": ["migrate", "up"]}]},
            NetworkConfiguration={"AwsvpcConfiguration": {"Subnets": ["subnet-1"],
                                                          "AssignPublicIp": "DISABLED"}})))
        self.assertEqual(body["Status"], "SUCCESS", body.get("Reason"))
        p = self.calls("RunTask")[0]["params"]
        self.assertEqual(p["overrides"], {"containerOverrides": [
            {"name": "app", "command": ["migrate", "up"]}]})
        self.assertEqual(p["networkConfiguration"], {"awsvpcConfiguration": {
            "subnets": ["subnet-1"], "assignPublicIp": "DISABLED"}})

    def test_every_member_of_the_shapes_reaches_ecs_valid(self):
        """Every member botocore's model has in the pass-through shapes, every
        value of its enumerations, written as CloudFormation writes them: the
        product takes them all and sends what the model wants."""
        W.proxy.add_rule(match={"operation": "RunTask"}, **CANNED_REFUSAL)
        run_task = ecs_shapes.model().operation_model("RunTask").input_shape
        runs = max(len(run_task.members[n].enum) for n in ("launchType", "propagateTags")) + 1
        for i in range(runs):
            given, expected = every_member(run_task, i, with_launch_type=i < runs - 1)
            body = self.send(event(W, "Create", props(**given)))
            self.assertEqual(body["Status"], "FAILED")
            self.assertIn("canned by the test", body["Reason"])
            sent = self.calls("RunTask")[-1]
            self.assertIsNone(sent["invalid"])
            members = {k: v for k, v in sent["params"].items()
                       if k not in ("cluster", "taskDefinition", "count", "startedBy",
                                    "clientToken")}
            self.assertEqual(members, expected)
        self.assertEqual(len(self.calls("RunTask")), runs)


def pascal(name):
    return name[0].upper() + name[1:]


def sample(shape, i, name):
    """(given, expected): a value of `shape` as CloudFormation gives it (keys
    PascalCase, scalars as strings) and as ECS must receive it. `i` picks the
    value of an enumeration."""
    kind = shape.type_name
    if kind == "structure":
        given, expected = {}, {}
        for member, member_shape in shape.members.items():
            given[pascal(member)], expected[member] = sample(member_shape, i, member)
        return given, expected
    if kind == "list":
        element = shape.member
        # A list of objects with an enumerated member: one element per value.
        enums = [s.enum for s in getattr(element, "members", {}).values()
                 if getattr(s, "enum", None)]
        pairs = [sample(element, k, name) for k in range(len(enums[0]) if enums else 1)]
        return [g for g, _ in pairs], [e for _, e in pairs]
    if getattr(shape, "enum", None):
        value = shape.enum[i % len(shape.enum)]
        return value, value
    if kind == "integer":
        return str(i + 1), i + 1
    if kind == "boolean":
        return ("yes", True) if i % 2 == 0 else ("false", False)
    return "%s-%d" % (name, i), "%s-%d" % (name, i)


def every_member(run_task, i, with_launch_type):
    """The pass-through properties with every member of every shape; launchType
    or capacityProviderStrategy (ECS takes one or the other)."""
    names = ["overrides", "networkConfiguration", "platformVersion", "placementConstraints",
             "placementStrategy", "propagateTags", "tags", "enableExecuteCommand",
             "enableECSManagedTags", "group"]
    names.append("launchType" if with_launch_type else "capacityProviderStrategy")
    given, expected = {}, {}
    for name in names:
        given[pascal(name)], expected[name] = sample(run_task.members[name], i, name)
    return given, expected


class CliTest(Case):
    def run_cli(self, *args):
        proc = subprocess.run([BIN, "run", "--cluster", CLUSTER, "--task-definition", FAMILY,
                               "--poll-interval", "1"] + list(args),
                              env=W.env(), capture_output=True, text=True, timeout=60)
        transcript.output(proc.stdout)
        transcript.output(proc.stderr)
        return proc.returncode, proc.stderr

    def test_env_merged_into_the_overrides_entry(self):
        code, err = self.run_cli(
            "--overrides", '{"containerOverrides":[{"name":"app","cpu":256,'
                           '"environment":[{"name":"A","value":"1"}]}]}',
            "--container", "app", "--env", "B=2")
        self.assertEqual(code, 0, err)
        p = self.calls("RunTask")[0]["params"]
        self.assertEqual(p["overrides"], {"containerOverrides": [
            {"name": "app", "cpu": 256, "environment": [{"name": "A", "value": "1"},
                                                        {"name": "B", "value": "2"}]}]})

    def test_pascal_case_overrides_merged_too(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"ContainerOverrides": [
                {"Name": "app", "Memory": "256", "Command": ["old"],
                 "Environment": [{"Name": "A", "Value": "old"}]},
                {"Name": "side", "Cpu": "64"}]}, f)
        self.addCleanup(os.unlink, f.name)
        code, err = self.run_cli("--overrides", "@" + f.name, "--container", "app",
                                 "--command", "migrate up", "--env", "A=new")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.calls("RunTask")[0]["params"]["overrides"], {"containerOverrides": [
            {"name": "app", "memory": 256, "command": ["migrate", "up"],
             "environment": [{"name": "A", "value": "new"}]},
            {"name": "side", "cpu": 64}]})

    def test_misspelt_key_is_a_usage_error(self):
        code, err = self.run_cli("--overrides", '{"containerOverrides":[{"name":"app",'
                                                '"comand":["x"]}]}')
        self.assertEqual(code, 2, err)
        self.assertIn("--overrides: containerOverrides[0].comand: unknown key "
                      "(did you mean command?)", err)
        self.assertEqual(W.proxy.requests(), [])


class SchemaTest(unittest.TestCase):
    def test_c_schema_is_botocores(self):
        """The product's schema (as tests/unit/engine/test_coerce.c spells it,
        a test there holding the product to it) is botocore's model."""
        with open(os.path.join(HERE, "..", "unit", "engine", "test_coerce.c"),
                  encoding="utf-8") as f:
            source = f.read()
        at = source.index("text, \"{overrides")
        literal = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', source[at:source.index(");", at)]))
        self.assertEqual(literal, ecs_shapes.pass_through_notation())


def fake_signed(proxy, operation, params):
    """Sends an ECS request that no product sent (signed with nothing) to proxy."""
    url = urllib.parse.urlsplit(proxy.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.request("POST", "/", body=json.dumps(params), headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AmazonEC2ContainerServiceV20141113." + operation,
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDPLANTED/20250101/us-east-1/ecs/"
                             "aws4_request, SignedHeaders=host, Signature=00"})
        conn.getresponse().read()
    finally:
        conn.close()


def suite_check(directory):
    """check_requests.py's exit code on `directory`, its report kept quiet."""
    with contextlib.redirect_stdout(io.StringIO()):
        return check_requests.main(directory)


class ValidatorTest(unittest.TestCase):
    """The check itself can fail: planted requests, on a proxy of their own
    whose checks go to a directory of their own (not the suite's)."""

    def test_planted_invalid_requests_are_caught(self):
        with tempfile.TemporaryDirectory() as directory:
            log = os.path.join(directory, "planted.ecs-requests")
            with FaultProxy(W.moto.url, check_log=log) as proxy:
                fake_signed(proxy, "RunTask", {"cluster": CLUSTER, "taskDefinition": FAMILY,
                                               "overrides": {"containerOverrides": [
                                                   {"name": "app", "comand": ["x"]}]}})
                fake_signed(proxy, "StartTask", {"taskDefinition": FAMILY, "clientToken": "t",
                                                 "containerInstances": ["i-1"]})
                fake_signed(proxy, "RunTask", {"taskDefinition": FAMILY, "count": 11})
                fake_signed(proxy, "RunTask", {"taskDefinition": FAMILY,
                                               "startedBy": "s" * 129})
                fake_signed(proxy, "DescribeTasks", {"cluster": CLUSTER, "tasks": ["t"] * 101})
                fake_signed(proxy, "ListClusters", {"bogus": 1})  # not an operation we check
                records = proxy.requests()
            reports = [r["invalid"] for r in records]
            self.assertIn('Unknown parameter in overrides.containerOverrides[0]: "comand"',
                          reports[0])
            self.assertIn('Unknown parameter in input: "clientToken"', reports[1])
            self.assertIn("count: 11 is not from 1 to 10", reports[2])
            self.assertIn("startedBy:", reports[3])
            self.assertIn("tasks: 101 elements", reports[4])
            self.assertIsNone(reports[5])
            self.assertEqual(suite_check(directory), 1)
            with open(log, encoding="utf-8") as f:
                self.assertEqual(len(f.readlines()), 5)

    def test_valid_requests_pass(self):
        with tempfile.TemporaryDirectory() as directory:
            log = os.path.join(directory, "valid.ecs-requests")
            with FaultProxy(W.moto.url, check_log=log) as proxy:
                fake_signed(proxy, "RunTask", {"cluster": CLUSTER, "taskDefinition": FAMILY,
                                               "count": 10, "startedBy": "s" * 128,
                                               "clientToken": "t" * 64})
                fake_signed(proxy, "ListTasks", {"cluster": CLUSTER, "startedBy": "s",
                                                 "desiredStatus": "RUNNING"})
                self.assertEqual([r["invalid"] for r in proxy.requests()], [None, None])
            self.assertEqual(suite_check(directory), 0)
            self.assertEqual(suite_check(os.path.join(directory, "none")), 77)


if __name__ == "__main__":
    unittest.main()
