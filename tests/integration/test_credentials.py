# SPDX-License-Identifier: Apache-2.0
"""The credential chain of the built code: against fake container-credentials
and IMDSv2 servers on loopback, its order (environment, web identity, profile
files, container, instance metadata) and its refusals; against moto's STS with
IAM auth on, the roles it assumes (web identity, source_profile chains,
credential_source), credential_process, and that the assumed credentials are
the ones that sign. What moto checks and what it does not: README.md here,
"moto"."""
import http.server
import json
import os
import re
import stat
import tempfile
import threading
import time
import unittest
import uuid

from harness import transcript
from harness.fault_proxy import FaultProxy
from harness.moto import MotoServer
from harness.util import QuietServer, free_port
from probe import probe as run_probe

MOTO = None
PROXY = None


def probe(env, *args):
    """aws-probe, with its error message kept for the no-secrets check: a
    credentials error must never show a secret."""
    code, out = run_probe(env, *args)
    if "error" in out:
        transcript.output(json.dumps(out["error"]))
    return code, out


def setUpModule():
    global MOTO, PROXY
    MOTO = MotoServer().start()
    PROXY = FaultProxy(MOTO.url).start()


def tearDownModule():
    MOTO.set_auth("inf")
    PROXY.stop()
    MOTO.stop()

CREDS = {"AccessKeyId": "ASIACONTAINER", "SecretAccessKey": "s", "Token": "t",
         "Expiration": "2030-01-01T00:00:00Z"}


class FakeMetadata:
    """A container-credentials endpoint and an IMDSv2 endpoint in one server."""

    def __init__(self):
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.seen = []
        meta = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def reply(self, status, body=b""):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_PUT(self):
                meta.seen.append(("PUT", self.path, dict(self.headers)))
                if (self.path == "/latest/api/token"
                        and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")):
                    return self.reply(200, b"IMDSTOKEN")
                self.reply(400)

            def do_GET(self):
                meta.seen.append(("GET", self.path, dict(self.headers)))
                if self.path == "/container/creds":
                    if self.headers.get("Authorization") != "Bearer secret-token":
                        return self.reply(401)
                    return self.reply(200, json.dumps(CREDS).encode())
                if self.path.startswith("/latest/meta-data/"):
                    if self.headers.get("X-aws-ec2-metadata-token") != "IMDSTOKEN":
                        return self.reply(401)
                    if self.path.endswith("/security-credentials/"):
                        return self.reply(200, b"my-role\n")
                    if self.path.endswith("/security-credentials/my-role"):
                        doc = dict(CREDS, AccessKeyId="ASIAIMDS")
                        return self.reply(200, json.dumps(doc).encode())
                self.reply(404)

        self.server = QuietServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class CredentialChainTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.meta = FakeMetadata()
        transcript.sensitive("Bearer secret-token")

    @classmethod
    def tearDownClass(cls):
        cls.meta.stop()

    def setUp(self):
        self.home = tempfile.mkdtemp()
        self.meta.seen.clear()

    def env(self, **kw):
        env = {"PATH": os.environ.get("PATH", ""), "HOME": self.home, "AWS_REGION": "us-east-1",
               "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:%d" % free_port()}
        env.update({k: v for k, v in kw.items() if v is not None})
        return env

    def creds(self, **kw):
        return probe(self.env(**kw), "credentials")

    def write_profile(self):
        os.makedirs(os.path.join(self.home, ".aws"))
        with open(os.path.join(self.home, ".aws", "credentials"), "w") as f:
            f.write("[default]\naws_access_key_id = PROFILEKEY\naws_secret_access_key = x\n")

    def test_environment_first(self):
        self.write_profile()
        code, out = self.creds(AWS_ACCESS_KEY_ID="ENVKEY", AWS_SECRET_ACCESS_KEY="x",
                               AWS_CONTAINER_CREDENTIALS_FULL_URI=self.meta.url + "/container/creds")
        self.assertEqual(code, 0, out)
        self.assertEqual(out["result"]["source"], "environment")
        self.assertEqual(self.meta.seen, [])

    def test_profile_before_container(self):
        self.write_profile()
        code, out = self.creds(AWS_CONTAINER_CREDENTIALS_FULL_URI=self.meta.url + "/container/creds")
        self.assertEqual(out["result"]["source"], "profile")
        self.assertEqual(out["result"]["access_key_id"], "PROFILEKEY")

    def test_container_with_token(self):
        code, out = self.creds(AWS_CONTAINER_CREDENTIALS_FULL_URI=self.meta.url + "/container/creds",
                               AWS_CONTAINER_AUTHORIZATION_TOKEN="Bearer secret-token")
        self.assertEqual(code, 0, out)
        self.assertEqual(out["result"]["source"], "container")
        self.assertTrue(out["result"]["has_session_token"])
        self.assertEqual(out["result"]["expiration_ms"], 1893456000000)

    def test_container_token_file(self):
        path = os.path.join(self.home, "token")
        with open(path, "w") as f:
            f.write("Bearer secret-token\n")
        code, out = self.creds(AWS_CONTAINER_CREDENTIALS_FULL_URI=self.meta.url + "/container/creds",
                               AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=path)
        self.assertEqual(code, 0, out)
        self.assertEqual(out["result"]["access_key_id"], "ASIACONTAINER")

    def test_container_full_uri_must_be_local_over_http(self):
        for uri in ("http://198.51.100.7/creds", "HTTP://198.51.100.7/creds",
                    "http://127.evil.example/creds", "http://127.0.0.1@evil.example/creds",
                    "http://localhost.evil.example/creds", "ftp://127.0.0.1/creds",
                    "http://169.254.170.2.evil.example/creds"):
            with self.subTest(uri=uri):
                code, out = self.creds(AWS_CONTAINER_CREDENTIALS_FULL_URI=uri,
                                       AWS_EC2_METADATA_DISABLED="true")
                self.assertEqual(code, 1)
                self.assertIn("only https, or plain http to loopback", out["error"]["message"])

    def test_container_full_uri_loopback_forms(self):
        port = self.meta.url.rsplit(":", 1)[1]
        for host in ("127.0.0.1", "localhost", "LOCALHOST"):
            with self.subTest(host=host):
                code, out = self.creds(
                    AWS_CONTAINER_CREDENTIALS_FULL_URI="http://%s:%s/container/creds" % (host, port),
                    AWS_CONTAINER_AUTHORIZATION_TOKEN="Bearer secret-token")
                self.assertEqual(code, 0, out)
                self.assertEqual(out["result"]["access_key_id"], "ASIACONTAINER")
        # The whole of 127.0.0.0/8 is loopback: tried (nothing listens there), not refused.
        code, out = self.creds(AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.1.2.3:%s/c" % port,
                               AWS_EC2_METADATA_DISABLED="true")
        self.assertEqual(code, 1)
        self.assertIn("container (Couldn't connect", out["error"]["message"])

    def test_imds_v2(self):
        code, out = self.creds(AWS_EC2_METADATA_SERVICE_ENDPOINT=self.meta.url)
        self.assertEqual(code, 0, out)
        self.assertEqual(out["result"]["source"], "imds")
        self.assertEqual(out["result"]["access_key_id"], "ASIAIMDS")
        methods = [(m, p) for m, p, _ in self.meta.seen]
        self.assertEqual(methods[0], ("PUT", "/latest/api/token"))
        self.assertEqual(methods[-1], ("GET", "/latest/meta-data/iam/security-credentials/my-role"))

    def test_nothing_configured_names_every_source(self):
        code, out = self.creds()
        self.assertEqual(code, 1)
        msg = out["error"]["message"]
        self.assertEqual(out["error"]["code"], "CredentialsError")
        for source in ("environment", "web identity", "profile default",
                       "container (not configured)", "IMDS"):
            self.assertIn(source, msg)

    # --- refusals: nothing is sent, and the message names the source ------------

    def fallbacks(self, **kw):
        """Container and IMDS both configured on the fake server: a chain that
        fell through would ask it."""
        return self.env(AWS_CONTAINER_CREDENTIALS_FULL_URI=self.meta.url + "/container/creds",
                        AWS_CONTAINER_AUTHORIZATION_TOKEN="Bearer secret-token",
                        AWS_EC2_METADATA_SERVICE_ENDPOINT=self.meta.url, **kw)

    def write_config(self, text):
        os.makedirs(os.path.join(self.home, ".aws"), exist_ok=True)
        with open(os.path.join(self.home, ".aws", "config"), "w") as f:
            f.write(text)

    def test_named_profile_missing_or_unusable_never_falls_through(self):
        self.write_config("[profile regional]\nregion = eu-west-1\n"
                          "[profile loop-a]\nrole_arn = arn:aws:iam::123456789012:role/a\n"
                          "source_profile = loop-b\n"
                          "[profile loop-b]\nrole_arn = arn:aws:iam::123456789012:role/b\n"
                          "source_profile = loop-a\n"
                          "[profile odd]\nrole_arn = arn:aws:iam::123456789012:role/a\n"
                          "credential_source = Lambda\n"
                          "[profile chained]\nrole_arn = arn:aws:iam::123456789012:role/a\n"
                          "source_profile = gone\n")
        cases = [({"AWS_PROFILE": "nope"}, "profile nope (named by AWS_PROFILE) does not exist"),
                 ({"AWS_DEFAULT_PROFILE": "nope"},
                  "profile nope (named by AWS_DEFAULT_PROFILE) does not exist"),
                 ({"AWS_PROFILE": "regional"},
                  "profile regional (named by AWS_PROFILE) has no credentials"),
                 ({"AWS_PROFILE": "loop-a"}, "loop (loop-a -> loop-b -> loop-a)"),
                 ({"AWS_PROFILE": "odd"}, "profile odd: unknown credential_source 'Lambda'"),
                 ({"AWS_PROFILE": "chained"},
                  "profile gone (named by source_profile of profile chained) does not exist")]
        for extra, message in cases:
            with self.subTest(extra=extra):
                code, out = probe(self.fallbacks(**extra), "credentials")
                self.assertEqual(code, 1, out)
                self.assertEqual(out["error"]["code"], "CredentialsError")
                self.assertIn(message, out["error"]["message"])
                self.assertEqual(self.meta.seen, [])
        # The default profile, when nothing names one, may hold only a region.
        self.write_config("[default]\nregion = eu-west-1\n")
        code, out = probe(self.fallbacks(), "credentials")
        self.assertEqual(code, 0, out)
        self.assertEqual(out["result"]["source"], "container")

    def test_relative_uri_must_be_a_path(self):
        # Without the check the URL would be http://169.254.170.2@127.0.0.1:PORT/...:
        # the fake server, standing in for any host, would get the token.
        rel = "@127.0.0.1:%d/container/creds" % self.meta.port
        code, out = self.creds(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=rel,
                               AWS_CONTAINER_AUTHORIZATION_TOKEN="Bearer secret-token",
                               AWS_EC2_METADATA_SERVICE_ENDPOINT=self.meta.url)
        self.assertEqual(code, 1, out)
        self.assertIn("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path starting with '/'",
                      out["error"]["message"])
        self.assertEqual(self.meta.seen, [])

    def test_token_with_line_break_refused(self):
        token = "Bearer secret-token\r\nX-Injected: yes"
        code, out = self.creds(AWS_CONTAINER_CREDENTIALS_FULL_URI=self.meta.url + "/container/creds",
                               AWS_CONTAINER_AUTHORIZATION_TOKEN=token,
                               AWS_EC2_METADATA_SERVICE_ENDPOINT=self.meta.url)
        self.assertEqual(code, 1, out)
        self.assertIn("AWS_CONTAINER_AUTHORIZATION_TOKEN holds a control character",
                      out["error"]["message"])
        path = os.path.join(self.home, "token")
        with open(path, "w") as f:
            f.write("Bearer secret-token\nX-Injected: yes\n")
        code, out = self.creds(AWS_CONTAINER_CREDENTIALS_FULL_URI=self.meta.url + "/container/creds",
                               AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=path,
                               AWS_EC2_METADATA_SERVICE_ENDPOINT=self.meta.url)
        self.assertEqual(code, 1, out)
        self.assertIn("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s holds a control character" % path,
                      out["error"]["message"])
        self.assertEqual(self.meta.seen, [])

    def test_invalid_region_refused(self):
        # "https://ecs.@127.0.0.1:PORT/#.amazonaws.com" would go to 127.0.0.1.
        bad = "@127.0.0.1:%d/#" % self.meta.port
        keys = {"AWS_ACCESS_KEY_ID": "AKIDREGION", "AWS_SECRET_ACCESS_KEY": "x" * 16}
        for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
            with self.subTest(variable=name):
                env = self.env(**keys)
                env.pop("AWS_REGION")
                env[name] = bad
                code, out = probe(env, "json", "ecs", "ListClusters", "{}")
                self.assertEqual(code, 1, out)
                self.assertEqual(out["error"]["code"], "ConfigurationError")
                self.assertIn("%s '%s' is not a region name" % (name, bad), out["error"]["message"])
        self.write_config("[profile eu]\nregion = eu-west-1.evil.example\n")
        env = self.env(AWS_PROFILE="eu", **keys)
        env.pop("AWS_REGION")
        code, out = probe(env, "json", "ecs", "ListClusters", "{}")
        self.assertEqual(code, 1, out)
        self.assertIn("the region of profile eu 'eu-west-1.evil.example' is not a region name",
                      out["error"]["message"])
        self.assertEqual(self.meta.seen, [])


ACCOUNT = "123456789012"
ROLE = "arn:aws:iam::%s:role/%%s" % ACCOUNT
USER = "arn:aws:iam::%s:user/%%s" % ACCOUNT
EXTERNAL_ID = "ext-" + uuid.uuid4().hex[:12]


def allow(*actions):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": list(actions), "Resource": "*"}]})


def trust(principal, action="sts:AssumeRole", external_id=None):
    statement = {"Effect": "Allow", "Action": action, "Principal": principal}
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


class AssumedCredentialsTest(unittest.TestCase):
    """Roles assumed through moto's STS with IAM auth on: every request after
    the set-up is signed with the credentials the chain produced and checked
    by moto (signature, session token, the caller's policies, the role's
    trust policy and its sts:ExternalId condition).

    base-user may only call sts:AssumeRole; the roles below may list clusters
    (target, target-ext, web) or only assume further (hop1), and each trusts
    one principal, so a ListClusters that succeeds proves which credentials
    signed it:
      target-ext  trusts base-user with sts:ExternalId = EXTERNAL_ID
      hop1        trusts base-user with sts:ExternalId = EXTERNAL_ID
      target      trusts only hop1's session "hop-session"
      env-target  trusts base-user (credential_source = Environment)
      web         AssumeRoleWithWebIdentity (moto checks neither trust nor token)
    """

    @classmethod
    def setUpClass(cls):
        MOTO.set_auth("inf")
        iam = MOTO.client("iam")
        arns = {}
        for name, doc in (("assume-only", allow("sts:AssumeRole")),
                          ("list-clusters", allow("ecs:ListClusters"))):
            arns[name] = iam.create_policy(PolicyName=name, PolicyDocument=doc)["Policy"]["Arn"]
        cls.keys = {}
        for user, policy in (("base-user", "assume-only"), ("proc-user", "list-clusters")):
            iam.create_user(UserName=user)
            iam.attach_user_policy(UserName=user, PolicyArn=arns[policy])
            key = iam.create_access_key(UserName=user)["AccessKey"]
            cls.keys[user] = (key["AccessKeyId"], transcript.sensitive(key["SecretAccessKey"]))
        hop_session = "arn:aws:sts::%s:assumed-role/hop1/hop-session" % ACCOUNT
        roles = (
            ("target-ext", trust({"AWS": USER % "base-user"}, external_id=EXTERNAL_ID),
             "list-clusters"),
            ("hop1", trust({"AWS": USER % "base-user"}, external_id=EXTERNAL_ID), "assume-only"),
            ("target", trust({"AWS": hop_session}), "list-clusters"),
            ("env-target", trust({"AWS": USER % "base-user"}), "list-clusters"),
            ("web", trust({"Federated": "arn:aws:iam::%s:oidc-provider/ci.example" % ACCOUNT},
                          "sts:AssumeRoleWithWebIdentity"), "list-clusters"))
        for name, doc, policy in roles:
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc)
            iam.attach_role_policy(RoleName=name, PolicyArn=arns[policy])
        MOTO.client("ecs").create_cluster(clusterName="c1")
        cls.meta = FakeMetadata()

    @classmethod
    def tearDownClass(cls):
        MOTO.set_auth("inf")
        cls.meta.stop()

    def setUp(self):
        self.home = tempfile.mkdtemp()
        os.makedirs(os.path.join(self.home, ".aws"))
        PROXY.clear()
        self.meta.seen.clear()
        MOTO.set_auth(0)

    def env(self, **kw):
        """Everything through the proxy; no keys in the environment unless
        given; container and IMDS on the fake server, which must stay unasked."""
        base = {"HOME": self.home, "AWS_ENDPOINT_URL": PROXY.url, "AWS_ACCESS_KEY_ID": None,
                "AWS_SECRET_ACCESS_KEY": None, "AWS_EC2_METADATA_DISABLED": None,
                "AWS_EC2_METADATA_SERVICE_ENDPOINT": self.meta.url,
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": self.meta.url + "/container/creds"}
        base.update(kw)
        return MOTO.env(**base)

    def files(self, config, credentials=None):
        with open(os.path.join(self.home, ".aws", "config"), "w") as f:
            f.write(config)
        if credentials:
            with open(os.path.join(self.home, ".aws", "credentials"), "w") as f:
                f.write(credentials)

    def base_profile(self):
        key, secret = self.keys["base-user"]
        return "[base]\naws_access_key_id = %s\naws_secret_access_key = %s\n" % (key, secret)

    def sts_calls(self):
        """The STS calls the product made, with their answers' secrets
        registered for the no-secrets check."""
        calls = [r for r in PROXY.requests() if r["operation"].startswith("AssumeRole")]
        for r in calls:
            body = (r["response"] or b"").decode()
            for tag in ("SecretAccessKey", "SessionToken"):
                for value in re.findall("<%s>([^<]+)</%s>" % (tag, tag), body):
                    transcript.sensitive(value)
        return calls

    def assumed_key(self, call):
        return re.search("<AccessKeyId>([^<]+)</AccessKeyId>", call["response"].decode()).group(1)

    def signer(self, record):
        return record["headers"].get("authorization", "").split("Credential=")[1].split("/")[0]

    def list_clusters(self, env):
        code, out = probe(env, "json", "ecs", "ListClusters", "{}")
        self.sts_calls()
        return code, out

    def caller_arn(self, env):
        code, out = probe(env, "query", "sts", "GetCallerIdentity", "2011-06-15")
        self.sts_calls()
        self.assertEqual(code, 0, out)
        return re.search("<Arn>([^<]+)</Arn>", out["result"]["xml"]).group(1)

    def assert_listed(self, env):
        code, out = self.list_clusters(env)
        self.assertEqual(code, 0, out)
        self.assertEqual(out["result"]["clusterArns"],
                         ["arn:aws:ecs:us-east-1:%s:cluster/c1" % ACCOUNT])
        self.assertEqual(self.meta.seen, [])

    # --- web identity ---------------------------------------------------------------

    def token_file(self):
        token = transcript.sensitive("eyJ-web-identity-" + uuid.uuid4().hex)
        path = os.path.join(self.home, "oidc-token")
        with open(path, "w") as f:
            f.write(token + "\n")
        return token, path

    def test_web_identity_from_environment(self):
        token, path = self.token_file()
        env = self.env(AWS_WEB_IDENTITY_TOKEN_FILE=path, AWS_ROLE_ARN=ROLE % "web",
                       AWS_ROLE_SESSION_NAME="ci-run-7")
        # moto cannot serve an unsigned call with auth on (README.md, "moto"):
        # one unauthenticated request lets AssumeRoleWithWebIdentity through;
        # every request after it is checked.
        MOTO.set_auth(1)
        self.assertEqual(self.caller_arn(env),
                         "arn:aws:sts::%s:assumed-role/web/ci-run-7" % ACCOUNT)
        first = PROXY.requests()[0]
        self.assertEqual(first["operation"], "AssumeRoleWithWebIdentity")
        self.assertNotIn("authorization", first["headers"])
        self.assertEqual(first["params"]["WebIdentityToken"], token)
        self.assertEqual(first["params"]["RoleArn"], ROLE % "web")
        self.assertEqual(first["params"]["RoleSessionName"], "ci-run-7")
        self.assertEqual(self.signer(PROXY.requests()[1]), self.assumed_key(first))
        MOTO.set_auth(1)
        self.assert_listed(env)

    def test_web_identity_from_profile(self):
        token, path = self.token_file()
        self.files("[profile eks]\nrole_arn = %s\nweb_identity_token_file = %s\n"
                   "role_session_name = pod-1\n" % (ROLE % "web", path))
        MOTO.set_auth(1)
        self.assertEqual(self.caller_arn(self.env(AWS_PROFILE="eks")),
                         "arn:aws:sts::%s:assumed-role/web/pod-1" % ACCOUNT)
        self.assertNotIn("authorization", PROXY.requests()[0]["headers"])

    # --- role_arn + source_profile ----------------------------------------------------

    def test_source_profile_one_hop(self):
        self.files("[profile deploy]\nrole_arn = %s\nsource_profile = base\n"
                   "external_id = %s\nduration_seconds = 1200\n" % (ROLE % "target-ext",
                                                                  EXTERNAL_ID),
                   self.base_profile())
        env = self.env(AWS_PROFILE="deploy")
        started = time.time()
        code, out = probe(env, "credentials")
        self.assertEqual(code, 0, out)
        self.assertEqual(out["result"]["source"], "assume_role")
        self.assertTrue(out["result"]["has_session_token"])
        # moto sets the expiry from DurationSeconds.
        self.assertAlmostEqual(out["result"]["expiration_ms"] / 1000, started + 1200, delta=60)
        PROXY.clear()
        self.assert_listed(env)
        (call,) = self.sts_calls()
        self.assertEqual(call["operation"], "AssumeRole")
        self.assertEqual(self.signer(call), self.keys["base-user"][0])
        self.assertEqual(call["params"]["RoleArn"], ROLE % "target-ext")
        self.assertEqual(call["params"]["ExternalId"], EXTERNAL_ID)
        self.assertEqual(call["params"]["DurationSeconds"], "1200")
        self.assertRegex(call["params"]["RoleSessionName"], r"^ecs-tasks-\d{10}$")
        list_call = PROXY.requests("ListClusters")[0]
        self.assertEqual(self.signer(list_call), self.assumed_key(call))
        # The base user alone may not list clusters: the role did.
        key, secret = self.keys["base-user"]
        code, out = probe(MOTO.env(AWS_ENDPOINT_URL=PROXY.url, AWS_ACCESS_KEY_ID=key,
                                   AWS_SECRET_ACCESS_KEY=secret), "json", "ecs", "ListClusters",
                          "{}")
        self.assertEqual(code, 1)
        self.assertIn("not authorized to perform: ecs:ListClusters", out["error"]["message"])

    def test_wrong_external_id_refused_by_the_trust_policy(self):
        self.files("[profile deploy]\nrole_arn = %s\nsource_profile = base\n"
                   "external_id = not-the-one\n" % (ROLE % "target-ext"), self.base_profile())
        code, out = self.list_clusters(self.env(AWS_PROFILE="deploy"))
        self.assertEqual(code, 1, out)
        self.assertEqual(out["error"]["code"], "CredentialsError")
        self.assertIn("profile deploy: STS AssumeRole %s" % (ROLE % "target-ext"),
                      out["error"]["message"])
        self.assertIn("AccessDenied", out["error"]["message"])
        self.assertEqual(PROXY.requests("ListClusters"), [])
        self.assertEqual(self.meta.seen, [])

    def test_source_profile_two_hops(self):
        self.files("[profile hop1]\nrole_arn = %s\nsource_profile = base\nexternal_id = %s\n"
                   "role_session_name = hop-session\n"
                   "[profile deploy]\nrole_arn = %s\nsource_profile = hop1\n"
                   "duration_seconds = 900\nrole_session_name = deploy-2\n"
                   % (ROLE % "hop1", EXTERNAL_ID, ROLE % "target"), self.base_profile())
        env = self.env(AWS_PROFILE="deploy")
        self.assert_listed(env)
        first, second = self.sts_calls()
        self.assertEqual(self.signer(first), self.keys["base-user"][0])
        self.assertEqual(first["params"]["RoleArn"], ROLE % "hop1")
        self.assertEqual(first["params"]["ExternalId"], EXTERNAL_ID)
        self.assertNotIn("DurationSeconds", first["params"])
        self.assertEqual(self.signer(second), self.assumed_key(first))
        self.assertIn("x-amz-security-token", second["headers"])
        self.assertEqual(second["params"]["RoleArn"], ROLE % "target")
        self.assertEqual(second["params"]["DurationSeconds"], "900")
        self.assertNotIn("ExternalId", second["params"])
        self.assertEqual(self.signer(PROXY.requests("ListClusters")[0]), self.assumed_key(second))
        PROXY.clear()
        self.assertEqual(self.caller_arn(env),
                         "arn:aws:sts::%s:assumed-role/target/deploy-2" % ACCOUNT)
        # target trusts only hop1's session: the base user alone is refused.
        self.files("[profile direct]\nrole_arn = %s\nsource_profile = base\n" % (ROLE % "target"),
                   self.base_profile())
        code, out = self.list_clusters(self.env(AWS_PROFILE="direct"))
        self.assertEqual(code, 1, out)
        self.assertIn("profile direct: STS AssumeRole", out["error"]["message"])
        self.assertIn("AccessDenied", out["error"]["message"])

    # --- credential_source -----------------------------------------------------------

    def test_credential_source_environment(self):
        key, secret = self.keys["base-user"]
        self.files("[profile envrole]\nrole_arn = %s\ncredential_source = Environment\n"
                   "role_session_name = from-env\n" % (ROLE % "env-target"))
        env = self.env(AWS_PROFILE="envrole", AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret)
        self.assert_listed(env)
        (call,) = self.sts_calls()
        self.assertEqual(self.signer(call), key)
        PROXY.clear()
        self.assertEqual(self.caller_arn(env),
                         "arn:aws:sts::%s:assumed-role/env-target/from-env" % ACCOUNT)

    # --- credential_process ----------------------------------------------------------

    def script(self, body):
        path = os.path.join(self.home, "creds helper.sh")
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body)
        os.chmod(path, stat.S_IRWXU)
        return path

    def test_credential_process(self):
        key, secret = self.keys["proc-user"]
        path = self.script('[ "$1" = --account ] || exit 9\n'
                           'printf \'{"Version": 1, "AccessKeyId": "%s", '
                           '"SecretAccessKey": "%s"}\'\n' % (key, secret))
        self.files("[profile proc]\ncredential_process = '%s' --account\n" % path)
        env = self.env(AWS_PROFILE="proc")
        code, out = probe(env, "credentials")
        self.assertEqual(code, 0, out)
        self.assertEqual(out["result"]["source"], "credential_process")
        self.assertEqual(out["result"]["access_key_id"], key)
        self.assert_listed(env)
        self.assertEqual(self.signer(PROXY.requests("ListClusters")[0]), key)

    def test_credential_process_failures_name_the_profile(self):
        secret = transcript.sensitive("printed-secret-" + uuid.uuid4().hex)
        cases = [('printf \'{"Version": 1, "AccessKeyId": "AKIDX", "SecretAccessKey": "%s"}\'\n'
                  'exit 2\n' % secret, "credential_process of profile proc exited with status 2"),
                 ("printf '%s'\n" % secret,
                  "credential_process of profile proc printed something that is not a JSON object"),
                 ('printf \'{"Version": 2, "AccessKeyId": "AKIDX", "SecretAccessKey": "%s"}\'\n'
                  % secret, 'without "Version": 1')]
        for body, message in cases:
            with self.subTest(message=message):
                path = self.script(body)
                self.files("[profile proc]\ncredential_process = '%s'\n" % path)
                code, out = probe(self.env(AWS_PROFILE="proc"), "credentials")
                self.assertEqual(code, 1, out)
                self.assertIn(message, out["error"]["message"])
                self.assertNotIn(secret, json.dumps(out))
                self.assertEqual(self.meta.seen, [])

    # --- refusals --------------------------------------------------------------------

    def test_mfa_serial_refused(self):
        self.files("[profile mfa]\nrole_arn = %s\nsource_profile = base\n"
                   "mfa_serial = arn:aws:iam::%s:mfa/me\n" % (ROLE % "target-ext", ACCOUNT),
                   self.base_profile())
        code, out = self.list_clusters(self.env(AWS_PROFILE="mfa"))
        self.assertEqual(code, 1, out)
        self.assertIn("profile mfa sets mfa_serial: ecs-tasks cannot ask for an MFA code",
                      out["error"]["message"])
        self.assertEqual(PROXY.requests(), [])
        self.assertEqual(self.meta.seen, [])

    def test_named_profile_without_credentials_never_reaches_metadata(self):
        self.files("[profile regional]\nregion = us-east-1\n")
        for profile, message in (("nope", "profile nope (named by AWS_PROFILE) does not exist"),
                                 ("regional", "profile regional (named by AWS_PROFILE) has no "
                                              "credentials")):
            with self.subTest(profile=profile):
                code, out = self.list_clusters(self.env(AWS_PROFILE=profile))
                self.assertEqual(code, 1, out)
                self.assertIn(message, out["error"]["message"])
                self.assertEqual(PROXY.requests(), [])
                self.assertEqual(self.meta.seen, [])


if __name__ == "__main__":
    unittest.main()
