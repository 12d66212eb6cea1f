# SPDX-License-Identifier: Apache-2.0
"""The credential chain of the built code against fake container-credentials
and IMDSv2 servers on loopback, and its order: environment, then profile
files, then container, then instance metadata."""
import http.server
import json
import os
import tempfile
import threading
import unittest

from harness.util import QuietServer, free_port
from probe import probe

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
        for source in ("environment", "profile default", "container (not configured)", "IMDS"):
            self.assertIn(source, msg)


if __name__ == "__main__":
    unittest.main()
