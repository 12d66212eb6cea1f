# SPDX-License-Identifier: Apache-2.0
"""Our SigV4 signatures verified by moto's IAM auth mode (README.md here, "moto"):
a correct key and an STS session token are accepted, a wrong secret is refused
with SignatureDoesNotMatch, and an action outside the policy with AccessDenied."""
import json
import unittest

from harness import transcript
from harness.moto import MotoServer
from probe import probe

MOTO = None
POLICY = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow",
    "Action": ["ecs:ListClusters", "ecs:DescribeClusters", "secretsmanager:GetSecretValue",
               "logs:GetLogEvents", "cloudformation:DescribeStacks", "lambda:Invoke",
               "lambda:InvokeFunction", "sts:AssumeRole"],
    "Resource": "*"}]}


def setUpModule():
    global MOTO
    MOTO = MotoServer().start()


def tearDownModule():
    MOTO.set_auth("inf")
    MOTO.stop()


class IamAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        MOTO.set_auth("inf")
        iam = MOTO.client("iam")
        iam.create_user(UserName="cr-user")
        arn = iam.create_policy(PolicyName="cr", PolicyDocument=json.dumps(POLICY))["Policy"]["Arn"]
        iam.attach_user_policy(UserName="cr-user", PolicyArn=arn)
        key = iam.create_access_key(UserName="cr-user")["AccessKey"]
        cls.key, cls.secret = key["AccessKeyId"], transcript.sensitive(key["SecretAccessKey"])
        iam.create_role(RoleName="cr-role", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"AWS": "*"}}]}))
        iam.attach_role_policy(RoleName="cr-role", PolicyArn=arn)
        sts = MOTO.client("sts")
        cls.session = sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/cr-role",
                                      RoleSessionName="probe")["Credentials"]
        transcript.sensitive(cls.session["SecretAccessKey"])
        transcript.sensitive(cls.session["SessionToken"])
        MOTO.client("ecs").create_cluster(clusterName="c1")
        MOTO.set_auth(0)

    @classmethod
    def tearDownClass(cls):
        MOTO.set_auth("inf")

    def call(self, key, secret, token=None, *args):
        env = MOTO.env(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret,
                       AWS_SESSION_TOKEN=token)
        return probe(env, *(args or ("json", "ecs", "ListClusters", "{}")))

    def test_correct_signature_accepted(self):
        code, out = self.call(self.key, self.secret)
        self.assertEqual(code, 0, out)
        self.assertEqual(len(out["result"]["clusterArns"]), 1)

    def test_session_token_accepted(self):
        s = self.session
        code, out = self.call(s["AccessKeyId"], s["SecretAccessKey"], s["SessionToken"])
        self.assertEqual(code, 0, out)

    def test_missing_session_token_refused(self):
        s = self.session
        code, out = self.call(s["AccessKeyId"], s["SecretAccessKey"])
        self.assertEqual(code, 1)
        self.assertEqual(out["error"]["status"], 403)
        self.assertEqual(out["error"]["code"], "InvalidClientTokenId")

    def test_wrong_secret_refused(self):
        code, out = self.call(self.key, "not-the-secret")
        self.assertEqual(code, 1)
        self.assertEqual(out["error"]["status"], 403)
        self.assertEqual(out["error"]["code"], "SignatureDoesNotMatch")

    def test_action_outside_policy_refused(self):
        code, out = self.call(self.key, self.secret, None, "json", "ecs", "ListTasks", "{}")
        self.assertEqual(code, 1)
        self.assertEqual(out["error"]["status"], 403)
        self.assertIn("not authorized to perform: ecs:ListTasks", out["error"]["message"])

    def test_every_protocol_signed_right(self):
        cases = [("cfn-stack-status", "nope"),            # query protocol: 400 ValidationError
                 ("lambda-invoke-event", "ecsTasks", "{}"),  # REST: 404, not 403
                 ("secret-get", "missing")]               # JSON: 404 ResourceNotFound
        for args in cases:
            code, out = self.call(self.key, self.secret, None, *args)
            self.assertNotEqual(out.get("error", {}).get("status"), 403, (args, out))


if __name__ == "__main__":
    unittest.main()
