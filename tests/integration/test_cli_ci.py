# SPDX-License-Identifier: Apache-2.0
"""`ecs-tasks run` in CI, the built binary against moto and the fault proxy:
--json (the document, field by field), GitHub Actions (GITHUB_OUTPUT, log
groups, one ::error:: annotation that container text cannot break out of),
--dry-run (the request printed, secrets masked, nothing started) and
--attach (tasks started by someone else, followed to their exit code)."""
import json
import os
import tempfile
import unittest

from cfn_support import CLUSTER, FAMILY, Lifecycle, World, set_containers
from cli_support import LOG_GROUP, base_args, run_cli, start_task_elsewhere, write_log

W = None
T0 = 1763100000.125  # createdAt; started 5 s and stopped 42.5 s later


def setUpModule():
    global W
    W = World()


def tearDownModule():
    W.close()


def with_times(transform):
    """A DescribeTasks transform that also gives each task ECS's timestamps
    (epoch seconds with a fraction, as JSON 1.1 sends them)."""
    def wrapped(doc):
        doc = transform(doc)
        for task in doc.get("tasks", []):
            task["createdAt"] = T0
            task["startedAt"] = T0 + 5
            if task.get("lastStatus") == "STOPPED":
                task["stoppedAt"] = T0 + 42.5
        return doc
    return wrapped


def started_arns():
    answer = json.loads(W.proxy.requests("RunTask")[0]["response"])
    return [t["taskArn"] for t in answer["tasks"]]


def task_id(arn):
    return arn.rsplit("/", 1)[1]


class JsonTest(unittest.TestCase):
    def setUp(self):
        W.fresh("immediate")

    def test_document_field_by_field(self):
        value = "json-secret-" + "q" * 16
        secret = W.moto.create_secret("json/token", value)
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=with_times(set_containers(
                             [{"name": "app", "exitCode": 3},
                              {"name": "sidecar", "exitCode": 0,
                               "reason": "sidecar saw " + value}],
                             stop_code="EssentialContainerExited",
                             stopped_reason="Essential container in task exited")))
        code, out, err = run_cli(W, *base_args("--json", "--count", "2", "--container", "app",
                                               "--env", "TOKEN={{resolve:secretsmanager:%s}}"
                                               % secret))
        self.assertEqual(code, 3, err)
        doc = json.loads(out)  # the whole of stdout is one document
        self.assertNotIn(value, out + err)
        arns = started_arns()
        self.assertEqual(doc["exitCode"], 3)
        self.assertEqual(doc["result"], "FAILED")
        self.assertIn("container app exited with code 3", doc["reason"])
        self.assertEqual(doc["cluster"], CLUSTER)
        self.assertRegex(doc["startedBy"], r"^ecs-tasks-run-[0-9a-f]{8}$")
        self.assertEqual([t["taskArn"] for t in doc["tasks"]], arns)
        self.assertEqual(sorted(doc), ["cluster", "exitCode", "reason", "result", "startedBy",
                                       "tasks"])
        for task, arn in zip(doc["tasks"], arns):
            self.assertEqual(task, {
                "taskArn": arn,
                "startedBy": doc["startedBy"],
                "lastStatus": "STOPPED",
                "stopCode": "EssentialContainerExited",
                "stoppedReason": "Essential container in task exited",
                "createdAt": "2025-11-14T06:00:00Z",
                "startedAt": "2025-11-14T06:00:05Z",
                "stoppedAt": "2025-11-14T06:00:42Z",
                "containers": [
                    {"name": "app", "exitCode": 3, "reason": None, "logGroup": LOG_GROUP,
                     "logStream": "ecs/app/" + task_id(arn)},
                    {"name": "sidecar", "exitCode": 0, "reason": "sidecar saw ****",
                     "logGroup": None, "logStream": None},
                ]})
        # Progress stays on stderr.
        self.assertRegex(err, r"task [0-9a-f-]+ STOPPED")

    def test_success_and_logs_on_stderr(self):
        W.moto.set_ecs_transition(progression="manual", times=1)

        def log_some(doc):
            for task in doc.get("tasks", []):
                write_log(W, task["taskArn"], ["migrating"])
            return doc
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=1,
                         transform=log_some)
        code, out, err = run_cli(W, *base_args("--json", "--logs"))
        self.assertEqual(code, 0, err)
        doc = json.loads(out)
        self.assertEqual((doc["exitCode"], doc["result"], doc["reason"]), (0, "SUCCESS", None))
        self.assertEqual(doc["tasks"][0]["containers"][0]["exitCode"], 0)
        self.assertIn("[app] migrating", err)
        self.assertNotIn("[app]", out)

    def test_no_wait_document(self):
        W.fresh("never")
        code, out, err = run_cli(W, *base_args("--json", "--no-wait", "--count", "2",
                                               "--started-by", "release-42"))
        self.assertEqual(code, 0, err)
        doc = json.loads(out)
        self.assertEqual((doc["result"], doc["exitCode"], doc["startedBy"]),
                         ("STARTED", 0, "release-42"))
        self.assertEqual([t["taskArn"] for t in doc["tasks"]], started_arns())
        for t in doc["tasks"]:
            self.assertEqual((t["startedBy"], t["lastStatus"], t["containers"]),
                             ("release-42", "RUNNING", []))
        self.assertEqual(W.proxy.requests("DescribeTasks"), [])

    def test_failure_to_start_document(self):
        code, out, err = run_cli(W, "run", "--cluster", "nope", "--task-definition", FAMILY,
                                 "--json")
        self.assertEqual(code, 125, err)
        doc = json.loads(out)
        self.assertEqual((doc["result"], doc["exitCode"], doc["tasks"]), ("FAILED", 125, []))
        self.assertIn("ClusterNotFoundException", doc["reason"])


def parse_github_output(text):
    """GITHUB_OUTPUT as the runner reads it: name=value or name<<DELIMITER."""
    lines, values, i = text.split("\n"), {}, 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            while lines[i] != delimiter:
                body.append(lines[i])
                i += 1
            i += 1
            values[name] = "\n".join(body)
        else:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def unescape(data):
    return data.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


HOSTILE = ["::error::pwned by the container", "::stop-commands::deadbeef",
           "   ::warning file=x::indented", "100% done\r::notice::after a carriage return",
           "::endgroup::", "last line"]


class GitHubTest(unittest.TestCase):
    def setUp(self):
        W.fresh("never")
        fd, self.output = tempfile.mkstemp()
        os.write(fd, b"earlier=kept\n")
        os.close(fd)
        self.addCleanup(os.unlink, self.output)

    def env(self):
        return W.env(GITHUB_ACTIONS="true", GITHUB_OUTPUT=self.output)

    def outputs(self):
        with open(self.output) as f:
            return parse_github_output(f.read())

    def test_failure_annotation_groups_and_outputs(self):
        lifecycle = Lifecycle([{"name": "app", "exitCode": 3}])

        def hostile_logs(doc):
            doc = lifecycle(doc)
            for task in doc.get("tasks", []):
                if task["lastStatus"] == "RUNNING":
                    write_log(W, task["taskArn"], HOSTILE)
            return doc
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=hostile_logs)
        code, out, err = run_cli(W, *base_args("--logs", "--count", "2"), env=self.env())
        self.assertEqual(code, 3, err)
        arns = started_arns()
        # Outputs, appended.
        values = self.outputs()
        self.assertEqual(values, {"earlier": "kept", "exit-code": "3", "task-arn": arns[0],
                                  "task-arns": " ".join(arns)})
        # Every line that GitHub would read as a command is one of ours.
        commands = [line.strip() for line in (out + err).splitlines()
                    if line.strip().startswith("::")]
        groups = ["::group::task " + task_id(a) for a in arns]
        self.assertEqual([c for c in commands if c.startswith("::group::")], groups)
        self.assertEqual(commands.count("::endgroup::"), 2)
        errors = [c for c in commands if c.startswith("::error")]
        self.assertEqual(len(errors), 1, commands)
        self.assertEqual(len(commands), 5, commands)
        # The log lines, inside their group, each behind its prefix.
        group = out[out.index(groups[0]):out.index("::endgroup::")]
        self.assertIn("[app] ::error::pwned by the container\n", group)
        self.assertIn("[app] ::stop-commands::deadbeef\n", group)
        self.assertIn("[app] 100% done?::notice::after a carriage return\n", group)
        # The annotation: one line holding the whole Reason, escaped.
        self.assertTrue(errors[0].startswith("::error title=ecs-tasks run::"), errors[0])
        data = errors[0][len("::error title=ecs-tasks run::"):]
        self.assertNotIn("\r", data)
        self.assertIn("100%25 done%0D::notice::", data)
        reason = unescape(data)
        self.assertIn("container app exited with code 3", reason)
        self.assertIn("\n::stop-commands::deadbeef\n", reason)
        self.assertTrue(reason.endswith("last line"), reason)

    def test_success_outputs_no_annotation(self):
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=Lifecycle())
        code, out, err = run_cli(W, *base_args(), env=self.env())
        self.assertEqual(code, 0, err)
        self.assertEqual(self.outputs()["exit-code"], "0")
        self.assertEqual(self.outputs()["task-arn"], out.strip())
        self.assertNotIn("::error", out + err)

    def test_not_in_github(self):
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=Lifecycle([{"name": "app", "exitCode": 1}]))
        code, out, err = run_cli(W, *base_args(), env=W.env(GITHUB_OUTPUT=self.output))
        self.assertEqual(code, 1, err)
        self.assertEqual(self.outputs(), {"earlier": "kept"})
        self.assertNotIn("::", out + err)


class DryRunTest(unittest.TestCase):
    def setUp(self):
        W.fresh("immediate")

    def test_prints_the_request_masked_and_starts_nothing(self):
        value = "dry-run-secret-" + "w" * 12
        secret = W.moto.create_secret("dry/token", value)
        code, out, err = run_cli(W, *base_args(
            "--dry-run", "--count", "3", "--launch-type", "EC2", "--container", "app",
            "--command", "migrate up", "--env", "TOKEN={{resolve:secretsmanager:%s}}" % secret,
            "--env", "URL=postgres://u:{{resolve:secretsmanager:%s}}@db/x" % secret,
            "--tag", "team=db", "--started-by", "dry-1"))
        self.assertEqual(code, 0, err)
        self.assertNotIn(value, out + err)
        request = json.loads(out)
        self.assertEqual(request["cluster"], CLUSTER)
        self.assertEqual(request["taskDefinition"], FAMILY)
        self.assertEqual(request["count"], 3)
        self.assertEqual(request["startedBy"], "dry-1")
        self.assertRegex(request["clientToken"], r"^[0-9a-f]{32}$")
        self.assertEqual(request["launchType"], "EC2")
        self.assertEqual(request["tags"], [{"key": "team", "value": "db"}])
        self.assertEqual(request["overrides"]["containerOverrides"], [
            {"name": "app", "command": ["migrate", "up"],
             "environment": [{"name": "TOKEN", "value": "****"},
                             {"name": "URL", "value": "postgres://u:****@db/x"}]}])
        self.assertIn("RunTask request was not sent", err)
        self.assertEqual(W.proxy.requests("RunTask"), [])
        self.assertEqual(W.proxy.requests("StartTask"), [])
        self.assertTrue(W.proxy.requests("GetSecretValue"), "resolved, to be masked")
        self.assertEqual(W.moto.client("ecs").list_tasks(cluster=CLUSTER)["taskArns"], [])

    def test_service_is_read_start_task_shown(self):
        subnet, group = W.moto.make_awsvpc_service(CLUSTER, "web", FAMILY)
        code, out, err = run_cli(W, *base_args("--dry-run", "--service", "web"))
        self.assertEqual(code, 0, err)
        request = json.loads(out)
        self.assertEqual(request["networkConfiguration"]["awsvpcConfiguration"]["subnets"],
                         [subnet])
        self.assertEqual(request["launchType"], "FARGATE")
        self.assertEqual(len(W.proxy.requests("DescribeServices")), 1)
        code, out, err = run_cli(W, *base_args("--dry-run", "--container-instance",
                                               W.instance_arn))
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["containerInstances"], [W.instance_arn])
        self.assertIn("StartTask request was not sent", err)
        self.assertEqual(W.proxy.requests("RunTask") + W.proxy.requests("StartTask"), [])


class AttachTest(unittest.TestCase):
    def setUp(self):
        W.fresh("never")

    def test_follows_a_task_started_elsewhere_to_its_exit_code(self):
        arn = start_task_elsewhere(W, started_by="deploy-script")
        write_log(W, arn, ["started by the deploy script"])
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=Lifecycle([{"name": "app", "exitCode": 4}]))
        # No --cluster: the ARN names it.
        code, out, err = run_cli(W, "run", "--attach", arn, "--poll-interval", "1", "--logs",
                                 "--json")
        self.assertEqual(code, 4, err)
        doc = json.loads(out)
        self.assertEqual((doc["exitCode"], doc["result"], doc["startedBy"]), (4, "FAILED", None))
        self.assertEqual(doc["tasks"][0]["taskArn"], arn)
        self.assertEqual(doc["tasks"][0]["startedBy"], "deploy-script")
        self.assertIn("container app exited with code 4", err)
        self.assertIn("[app] started by the deploy script", err)
        self.assertRegex(err, r"task [0-9a-f-]+ PROVISIONING")
        self.assertEqual(W.proxy.requests("RunTask"), [])
        self.assertEqual(W.proxy.requests("StopTask"), [])
        self.assertEqual({r["params"]["cluster"] for r in W.proxy.requests("DescribeTasks")},
                         {CLUSTER})

    def test_several_tasks_and_the_arns_printed(self):
        arns = [start_task_elsewhere(W, "scheduler") for _ in range(2)]
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=Lifecycle())
        code, out, err = run_cli(W, "run", "--cluster", CLUSTER, "--attach", arns[0], arns[1],
                                 "--poll-interval", "1")
        self.assertEqual(code, 0, err)
        self.assertEqual(out.split(), arns)
        self.assertIn("success (exit code 0)", err)

    def test_unknown_task_and_usage(self):
        arn = start_task_elsewhere(W).rsplit("/", 1)[0] + "/0000-not-a-task"
        code, _, err = run_cli(W, "run", "--attach", arn, "--poll-interval", "1")
        self.assertEqual(code, 125, err)
        W.proxy.clear()
        for args, message in (
                (["--attach", arn, "--count", "2"], "--attach: --count does not apply"),
                (["--attach", "nonsense"], "--attach: 'nonsense' is not a task ARN"),
                (["--attach", arn, "--dry-run"], "--attach: --dry-run does not apply"),
                (["--attach", "arn:aws:ecs:us-east-1:123456789012:task/abc"],
                 "--cluster: required with --attach")):
            code, _, err = run_cli(W, "run", *args)
            self.assertEqual(code, 2, (args, err))
            self.assertIn("ecs-tasks run: " + message, err)
        self.assertEqual(W.proxy.requests(), [])


if __name__ == "__main__":
    unittest.main()
