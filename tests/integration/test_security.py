# SPDX-License-Identifier: Apache-2.0
"""Security findings, each reproduced against the built binary: secrets masked
in every form and on every invocation of a request, the re-invocation state
checked rather than trusted, malformed AWS answers, UTF-8, the 4096-byte
bound, the ResponseURL, and what `ecs-tasks run` prints of a container's
output. The credential and configuration inputs are in test_credentials.py."""
import json
import os
import subprocess
import time
import unittest
import urllib.parse
import uuid

from cfn_support import (CLUSTER, FAMILY, World, body_of, cli_binary, event,
                         props, set_containers)
from harness import transcript
from harness.shard import load_tests  # noqa: F401 (ctest runs it in slices)

W = None
JSON_HDR = {"Content-Type": "application/x-amz-json-1.1"}


def setUpModule():
    global W
    W = World()


def tearDownModule():
    W.close()


def exit_code(code, reason=None):
    return set_containers([{"name": "app", "exitCode": code, "reason": reason}])


def log_events(lines):
    """A canned GetLogEvents answer holding these lines."""
    events = [{"timestamp": 1764547200000 + i, "message": m, "ingestionTime": 1764547200000}
              for i, m in enumerate(lines)]
    return json.dumps({"events": events, "nextForwardToken": "f/1",
                       "nextBackwardToken": "b/1"}).encode()


def env_override(name, value):
    return {"ContainerOverrides": [{"Name": "app", "Environment": [
        {"Name": name, "Value": value}]}]}


def unique(label):
    """A secret value no other text in the run can hold by chance."""
    return transcript.sensitive("%s-%s" % (label, uuid.uuid4().hex))


def prefixes(secret, shortest=6):
    """Every prefix and suffix of a secret long enough to identify it."""
    return ({secret[:n] for n in range(shortest, len(secret) + 1)} |
            {secret[-n:] for n in range(shortest, len(secret) + 1)})


class Case(unittest.TestCase):
    progression = "immediate"
    function_timeout = 30

    def setUp(self):
        W.fresh(self.progression)
        self.rt = self.emulator()

    def emulator(self, **env):
        return W.emulator_for(self, timeout_s=self.function_timeout, **env)

    def send(self, ev, rt=None, timeout=60):
        response = W.one_response(self, rt or self.rt, ev, timeout)
        return body_of(response), response["body"].decode("utf-8")

    def log(self, rt=None):
        return "\n".join((rt or self.rt).log_lines)

    def calls(self, operation):
        return [r for r in W.proxy.requests() if r["operation"] == operation]

    def assert_hidden(self, secret, *texts):
        for text in texts:
            for part in prefixes(secret):
                self.assertNotIn(part, text)


# --- 1. masking -------------------------------------------------------------

class MaskingTest(Case):
    def test_validation_quotes_the_reference_not_the_value(self):
        secret = unique("Zq8-validation")
        W.moto.create_secret("big", secret)
        ref = "{{resolve:secretsmanager:big}}"
        body, raw = self.send(event(W, "Create", props(Count=ref)))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("Count: '%s' is not allowed" % ref, body["Reason"])
        self.assertEqual(self.calls("GetSecretValue"), [], "validated before anything is fetched")
        self.assert_hidden(secret, raw, self.log())

    def test_aws_message_masked_before_it_is_cut(self):
        """An error message that echoes the secret across the point where the
        message is cut to fit."""
        secret = unique("Hx7-cut")
        W.moto.create_secret("db", secret)
        message = "x" * 740 + "invalid value " + secret + " for environment"
        W.proxy.add_rule(match={"operation": "RunTask"}, fault="status", status=400,
                         headers=JSON_HDR, body=json.dumps(
                             {"__type": "InvalidParameterException", "message": message}).encode())
        rt = self.emulator(LOG_LEVEL="DEBUG")
        body, raw = self.send(event(W, "Create", props(
            Overrides=env_override("P", "{{resolve:secretsmanager:db}}"))), rt=rt)
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("InvalidParameterException", body["Reason"])
        self.assert_hidden(secret, raw, self.log(rt))

    def test_log_line_masked_before_it_is_cut(self):
        """A container log line of 40 KiB with the secret across the logger's
        32 KiB cut: the log tail reaches the function's own log whole."""
        secret = unique("Lg9-long")
        W.moto.create_secret("db", secret)
        line = "y" * (32 * 1024 - 20) + secret + "z" * 8000
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=exit_code(4))
        W.proxy.add_rule(match={"operation": "GetLogEvents"}, fault="status", status=200,
                         headers=JSON_HDR, body=log_events([line]), times=None)
        body, raw = self.send(event(W, "Create", props(
            Overrides=env_override("P", "{{resolve:secretsmanager:db}}"))))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("exited with code 4", body["Reason"])
        self.assert_hidden(secret, raw, self.log())

    def test_derived_forms_masked(self):
        """JSON-escaped, \\u-escaped, URL-encoded forms of a secret, and each
        string member of a JSON secret resolved whole."""
        weird = 'p"a\\s s/é' + "Q7w" * 4
        member = "member-" + "m4x" * 4
        doc = json.dumps({"password": weird, "user": member})
        transcript.sensitive(weird)
        transcript.sensitive(member)
        W.moto.create_secret("doc", doc)
        echoed = " | ".join([json.dumps(weird, ensure_ascii=False)[1:-1], json.dumps(weird)[1:-1],
                             urllib.parse.quote(weird, safe=""),
                             urllib.parse.quote_plus(weird), "user=" + member])
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=exit_code(None, "CannotStartContainerError: " + echoed))
        body, raw = self.send(event(W, "Create", props(
            Overrides=env_override("DOC", "{{resolve:secretsmanager:doc}}"))))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("CannotStartContainerError: **** | **** | **** | **** | user=****",
                      body["Reason"])
        for form in echoed.split(" | "):
            self.assertNotIn(form.replace("user=", ""), raw)
            self.assertNotIn(form.replace("user=", ""), self.log())

    def test_no_cap_on_the_number_of_secrets(self):
        """Forty JSON secrets, a key of each: eighty values to mask (the whole
        secret and the key's value), more than any fixed table held."""
        values = {}
        for i in range(40):
            values["k%02d" % i] = transcript.sensitive("value-%02d-" % i + "s3cr" * 3)
            W.moto.create_secret("many-%02d" % i, json.dumps({"k": values["k%02d" % i]}))
        env = [{"Name": "V%02d" % i,
                "Value": "{{resolve:secretsmanager:many-%02d:SecretString:k}}" % i}
               for i in range(40)]
        reason = "bad: " + " ".join(values[k] for k in sorted(values))
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=exit_code(None, reason))
        body, raw = self.send(event(W, "Create", props(Overrides={"ContainerOverrides": [
            {"Name": "app", "Environment": env}]})))
        self.assertEqual(body["Status"], "FAILED")
        for value in values.values():
            self.assertNotIn(value, raw)
            self.assertNotIn(value, self.log())

    def test_short_secret_refused(self):
        # Not registered as sensitive: it is refused, and too short to look for.
        W.moto.client("secretsmanager").create_secret(Name="tiny", SecretString="abc")
        body, raw = self.send(event(W, "Create", props(
            Overrides=env_override("T", "{{resolve:secretsmanager:tiny}}"))))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("{{resolve:secretsmanager:tiny}} resolves to a value shorter than 4",
                      body["Reason"])
        self.assertEqual(self.calls("RunTask"), [])


class HandOverMaskingTest(Case):
    """Every invocation of a request masks its secrets, not only the first."""
    function_timeout = 5

    def setUp(self):
        W.fresh("never")
        W.moto.set_ecs_transition(progression="time", seconds=3)  # ~12 s to stop
        self.rt = self.emulator()
        self.secret = unique("Hv4-handover")
        W.moto.create_secret("db", self.secret)
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=exit_code(3))
        W.proxy.add_rule(match={"operation": "GetLogEvents"}, fault="status", status=200,
                         headers=JSON_HDR, times=None, body=log_events(
                             ["connecting", "login failed with password " + self.secret]))

    def run_chain(self, after_first_invocation=None):
        ev = event(W, "Create", props(Timeout="60", PollInterval="1",
                                      Overrides=env_override("P", "{{resolve:secretsmanager:db}}")))
        before = len(W.catcher.responses())
        self.rt.enqueue(ev)
        if after_first_invocation:
            deadline = time.time() + 30
            while not self.rt.invokes() and time.time() < deadline:
                time.sleep(0.05)
            after_first_invocation()
        W.catcher.wait_for(before + 1, timeout=60)
        time.sleep(0.5)
        responses = W.catcher.responses()[before:]
        self.assertEqual(len(responses), 1, self.log())
        self.assertGreaterEqual(len(self.rt.invokes()), 1, "handed over at least once")
        return body_of(responses[0]), responses[0]["body"].decode("utf-8")

    def test_reason_after_a_hand_over_is_masked(self):
        body, raw = self.run_chain()
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("login failed with password ****", body["Reason"])
        self.assert_hidden(self.secret, raw, self.log())
        self.assertGreaterEqual(len(self.calls("GetSecretValue")), 2, "fetched again to mask")

    def test_values_that_cannot_be_fetched_again_leave_out_the_log(self):
        def break_secrets():
            W.proxy.add_rule(match={"operation": "GetSecretValue"}, fault="http500", times=None)
        body, raw = self.run_chain(after_first_invocation=break_secrets)
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("exited with code 3", body["Reason"])
        self.assertIn("log lines are left out", body["Reason"])
        self.assertNotIn("login failed", raw)
        self.assert_hidden(self.secret, raw, self.log())


# --- 2. the re-invocation state ---------------------------------------------

class StateTest(Case):
    """The state in a re-invocation event is checked, not trusted."""
    progression = "never"
    function_timeout = 5

    def handed_over_event(self):
        """A real hand-over event of this request (its state as the function
        wrote it), and the ARN of the task it started."""
        ev = event(W, "Create", props(Timeout="60", PollInterval="1"))
        self.rt.enqueue(ev)
        deadline = time.time() + 30
        while not self.rt.invokes() and time.time() < deadline:
            time.sleep(0.05)
        self.assertTrue(self.rt.invokes(), self.log())
        self.rt.stop()
        handed = json.loads(self.rt.invokes()[0]["payload"])
        return handed, handed["EcsTasksState"]["slots"][0]["taskArn"]

    def victim(self):
        ecs = W.moto.client("ecs")
        return ecs.run_task(cluster=CLUSTER, taskDefinition=FAMILY,
                            startedBy="someone-else")["tasks"][0]["taskArn"]

    def test_a_state_naming_another_task_touches_nothing(self):
        handed, _ = self.handed_over_event()
        other = self.victim()
        handed["EcsTasksState"]["slots"][0]["taskArn"] = other
        handed["EcsTasksState"]["firstReceiptMs"] = 1  # its Timeout long passed
        W.proxy.clear()
        rt = self.emulator()
        body, _ = self.send(handed, rt=rt)
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("was not started by this run", body["Reason"])
        self.assertEqual(self.calls("StopTask"), [])
        task = W.moto.client("ecs").describe_tasks(cluster=CLUSTER, tasks=[other])["tasks"][0]
        self.assertNotEqual(task["lastStatus"], "STOPPED")

    def test_forged_identity_refused(self):
        handed, _ = self.handed_over_event()
        handed["EcsTasksState"]["clientToken"] = "f" * 32
        W.proxy.clear()
        rt = self.emulator()
        body, _ = self.send(handed, rt=rt)
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("does not belong to this request", body["Reason"])
        self.assertEqual([r for r in W.proxy.requests() if r["service"] == "ecs"], [])

    def test_empty_or_malformed_state_fails_and_the_process_lives(self):
        handed, _ = self.handed_over_event()
        rt = self.emulator()
        for bad in ([], "x", {"slots": []}, dict(handed["EcsTasksState"], slots=[])):
            with self.subTest(state=bad):
                W.proxy.clear()
                forged = dict(handed, EcsTasksState=bad)
                body, _ = self.send(forged, rt=rt)
                self.assertEqual(body["Status"], "FAILED")
                self.assertIn("re-invocation state is not valid", body["Reason"])
                self.assertEqual(self.calls("StopTask") + self.calls("RunTask"), [])
        body, _ = self.send(event(W, "Create", props(Count="0")), rt=rt)
        self.assertEqual(body["Status"], "SUCCESS")


# --- 3. malformed answers, 4. UTF-8, 8. the bound ---------------------------

class AnswersTest(Case):
    def test_container_without_a_name(self):
        def nameless(doc):
            for task in doc.get("tasks", []):
                task["containers"] = [{"lastStatus": "STOPPED", "exitCode": 0}]
            return doc
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=nameless)
        body, _ = self.send(event(W, "Create", props()))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("a container without a name", body["Reason"])
        body, _ = self.send(event(W, "Create", props(Count="0")))
        self.assertEqual(body["Status"], "SUCCESS")

    def test_task_without_status(self):
        def statusless(doc):
            for task in doc.get("tasks", []):
                del task["lastStatus"]
            return doc
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=statusless)
        body, _ = self.send(event(W, "Create", props()))
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("a task without lastStatus", body["Reason"])

    def test_multibyte_log_tail_keeps_the_reason(self):
        """Ten 1,000-byte lines of two-byte characters: the Reason is cut to
        fit, on a character boundary, and keeps the exit code."""
        lines = ["é" * 499 + "!" for _ in range(9)] + ["last line 😀"]
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=exit_code(5))
        W.proxy.add_rule(match={"operation": "GetLogEvents"}, fault="status", status=200,
                         headers=JSON_HDR, body=log_events(lines), times=None)
        rt = self.emulator(AWS_LAMBDA_LOG_FORMAT="JSON")
        body, raw = self.send(event(W, "Create", props()), rt=rt)
        self.assertLessEqual(len(raw.encode("utf-8")), 4096)
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("exited with code 5", body["Reason"])
        self.assertIn(" of 10 log lines", body["Reason"])  # the oldest left out
        self.assertTrue(body["Reason"].endswith("\nlast line 😀"), body["Reason"][-80:])
        for line in rt.log_lines:
            json.loads(line)  # every JSON log line is valid JSON

    def test_body_bound_with_ten_tasks_and_long_names(self):
        cluster = "c" * 200
        W.moto.make_cluster_with_instance(cluster)
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=set_containers([{"name": "app", "exitCode": 1}],
                                                  stop_code="EssentialContainerExited",
                                                  stopped_reason="r" * 250))
        stack = "arn:aws:cloudformation:us-east-1:123456789012:stack/" + "s" * 120 + "/" + \
            "1" * 36
        ev = event(W, "Create", props(Cluster=cluster, Count="10"), logical="L" * 255)
        ev["StackId"] = stack
        body, raw = self.send(ev)
        self.assertLessEqual(len(raw.encode("utf-8")), 4096)
        self.assertEqual(body["Status"], "FAILED")
        self.assertIn("exited with code 1", body["Reason"])
        self.assertEqual(body["StackId"], stack)
        self.assertEqual(body["LogicalResourceId"], "L" * 255)
        for arn in body["Data"]["TaskArns"].split(","):
            self.assertRegex(arn, r"^arn:aws:ecs:us-east-1:123456789012:task/c{200}/[0-9a-f-]+$")


# --- 7. the ResponseURL -------------------------------------------------------

class ResponseUrlTest(Case):
    def test_oversized_answer_does_not_leak_the_url(self):
        W.catcher.oversize_next(100)  # every attempt of the PUT
        ev = event(W, "Create", props(Count="0"))
        query = urllib.parse.urlsplit(ev["ResponseURL"]).query
        result = self.rt.invoke(ev, timeout=60)
        self.assertEqual(result["kind"], "error", self.log())
        payload = result["body"].decode("utf-8")
        self.assertIn("larger than", payload)
        self.assertNotIn(query, payload)
        self.assertNotIn("X-Amz-Signature", payload)
        self.assertNotIn("X-Amz-Signature", self.log())


# --- 6. what the CLI prints of a container -----------------------------------

class CliOutputTest(Case):
    def test_container_output_cannot_command_ci_or_terminal(self):
        hostile = ["::error::pwned", "::stop-commands::token", "\x1b[2J\x1b]0;title\x07cleared",
                   "two\n::add-mask::lines", "  ::warning::indented"]
        W.proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform", times=None,
                         transform=exit_code(7))
        W.proxy.add_rule(match={"operation": "GetLogEvents"}, fault="status", status=200,
                         headers=JSON_HDR, body=log_events(hostile), times=None)
        proc = subprocess.run([cli_binary(), "run", "--cluster", CLUSTER, "--task-definition",
                               FAMILY, "--poll-interval", "1", "--logs"],
                              env=W.env(), capture_output=True, timeout=60)
        out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
        transcript.output(out)
        transcript.output(err)
        self.assertEqual(proc.returncode, 7, err)
        self.assertIn("[app] ::error::pwned", out)
        self.assertIn("exited with code 7", err)
        for text in (out, err):
            self.assertNotIn("\x1b", text)
            self.assertNotIn("\x07", text)
            for line in text.splitlines():
                self.assertFalse(line.lstrip().startswith("::"), repr(line))


if __name__ == "__main__":
    unittest.main()
