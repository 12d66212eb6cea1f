# SPDX-License-Identifier: Apache-2.0
"""TLS verification cannot be switched off (README: AWS access): AWS endpoints and the
ResponseURL behind a certificate the machine does not trust are refused in
runtime mode and by the CLI, whatever the environment says; trusting the
certificate through AWS_CA_BUNDLE (or a store the machine's administrator
controls: SSL_CERT_FILE, a hashed directory) is the only way in, and a
certificate for another host name is refused even then."""
import os
import shutil
import subprocess
import tempfile
import unittest

from cfn_support import BIN, CLUSTER, FAMILY, World, body_of, cli_binary, event, props
from harness import transcript
from harness.catcher import ResponseCatcher
from harness.runtime_emulator import RuntimeEmulator
from harness.tls import self_signed

W = None
TMP = None
CERT = None  # the proxy's certificate: CN/SAN 127.0.0.1

# Switches other tools honour to turn verification off; none may affect ours.
INSECURE_ENV = {
    "AWS_VERIFY_SSL": "false", "PYTHONHTTPSVERIFY": "0", "NODE_TLS_REJECT_UNAUTHORIZED": "0",
    "GIT_SSL_NO_VERIFY": "1", "CURL_CA_BUNDLE": "", "CURLOPT_SSL_VERIFYPEER": "0",
    "SSL_CERT_DIR": "/nonexistent", "ECS_TASKS_INSECURE": "1", "ECS_TASKS_NO_VERIFY_SSL": "1",
}


def setUpModule():
    global W, TMP, CERT
    TMP = tempfile.mkdtemp()
    os.makedirs(os.path.join(TMP, "proxy"))
    CERT = self_signed(os.path.join(TMP, "proxy"), ["127.0.0.1"])
    W = World(tls=CERT)


def tearDownModule():
    W.close()
    shutil.rmtree(TMP)


def hashed_dir(name, *certs):
    """A directory of CA files named by subject hash, as `openssl rehash`
    makes them: what OpenSSL's hashed-directory lookup reads."""
    d = os.path.join(TMP, name)
    os.makedirs(d)
    for cert in certs:
        h = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", cert], check=True,
                           capture_output=True, text=True).stdout.strip()
        n = 0
        while os.path.exists(os.path.join(d, "%s.%d" % (h, n))):
            n += 1
        os.symlink(cert, os.path.join(d, "%s.%d" % (h, n)))
    return d


def insecure_env(**extra):
    env = W.env(**INSECURE_ENV)
    env.update(extra)
    # libcurl reads no .curlrc, but the curl tool would: make sure.
    with open(os.path.join(env["HOME"], ".curlrc"), "w") as f:
        f.write("insecure\n")
    return env


class RuntimeTlsTest(unittest.TestCase):
    def setUp(self):
        W.fresh("immediate")

    def create(self, env, catcher=None):
        """One Create through the Runtime API; returns (invocation result, log)."""
        catcher = catcher or W.catcher
        ev = event(W, "Create", props())
        ev["ResponseURL"] = catcher.url(query=ev["ResponseURL"].split("?", 1)[1])
        with RuntimeEmulator(BIN, env=env, timeout_s=20) as rt:
            result = rt.invoke(ev, timeout=20)
            return result, "\n".join(rt.log_lines)

    def test_trusted_through_aws_ca_bundle(self):
        result, log = self.create(W.env(AWS_CA_BUNDLE=CERT[0]))
        self.assertEqual(result["kind"], "response", log)
        self.assertEqual(body_of(W.catcher.responses()[-1])["Status"], "SUCCESS", log)
        self.assertEqual(len(W.proxy.requests("RunTask")), 1)

    def test_untrusted_endpoint_refused_whatever_the_environment(self):
        result, log = self.create(insecure_env())
        self.assertEqual(result["kind"], "response", log)
        body = body_of(W.catcher.responses()[-1])
        self.assertEqual(body["Status"], "FAILED")
        self.assertRegex(body["Reason"].lower(), r"certificate|ssl", body["Reason"])
        self.assertEqual(W.proxy.requests(), [], "no request may pass an untrusted handshake")

    def test_certificate_for_another_host_refused_even_when_trusted(self):
        other = os.path.join(TMP, "localhost-only")
        os.makedirs(other, exist_ok=True)
        cert = self_signed(other, ["localhost"])
        with ResponseCatcher(tls=cert) as catcher:
            result, log = self.create(W.env(AWS_CA_BUNDLE=cert[0],
                                            AWS_ENDPOINT_URL="http://127.0.0.1:9"), catcher)
            self.assertEqual(catcher.responses(), [], "ResponseURL host 127.0.0.1 is not localhost")
        self.assertEqual(result["kind"], "error", log)
        self.assertEqual(result["error_type"], "ResponseNotDelivered", log)

    def test_trusted_among_many_in_a_bundle(self):
        """The bundle is read lazily (only the CAs a chain names are parsed):
        the one CA in the middle of a large bundle is found."""
        platform = next((p for p in ("/etc/ssl/certs/ca-certificates.crt",
                                     "/etc/pki/tls/certs/ca-bundle.crt") if os.path.exists(p)), None)
        if not platform:
            self.skipTest("no platform CA bundle")
        bundle = os.path.join(TMP, "large-bundle.pem")
        with open(bundle, "w") as out, open(platform) as big, open(CERT[0]) as ours:
            text = big.read()
            middle = text.find("-----BEGIN CERTIFICATE-----", len(text) // 2)
            out.write(text[:middle] + ours.read() + text[middle:])
        result, log = self.create(W.env(AWS_CA_BUNDLE=bundle))
        self.assertEqual(body_of(W.catcher.responses()[-1])["Status"], "SUCCESS", log)
        self.assertEqual(len(W.proxy.requests("RunTask")), 1)

    def test_trusted_through_a_hashed_directory(self):
        store = hashed_dir("store-trusted", CERT[0])
        result, log = self.create(W.env(SSL_CERT_DIR=store))
        self.assertEqual(result["kind"], "response", log)
        self.assertEqual(body_of(W.catcher.responses()[-1])["Status"], "SUCCESS", log)
        self.assertEqual(len(W.proxy.requests("RunTask")), 1)

    def test_hashed_directory_without_the_ca_refused(self):
        other = os.path.join(TMP, "dir-other")
        os.makedirs(other)
        store = hashed_dir("store-other", self_signed(other, ["127.0.0.1"])[0])
        result, log = self.create(insecure_env(SSL_CERT_DIR=store))
        self.assertEqual(body_of(W.catcher.responses()[-1])["Status"], "FAILED", log)
        self.assertEqual(W.proxy.requests(), [], "no request may pass an untrusted handshake")

    def test_another_host_refused_through_a_hashed_directory(self):
        other = os.path.join(TMP, "dir-localhost")
        os.makedirs(other)
        cert = self_signed(other, ["localhost"])
        store = hashed_dir("store-localhost", cert[0])
        with ResponseCatcher(tls=cert) as catcher:
            result, log = self.create(W.env(SSL_CERT_DIR=store,
                                            AWS_ENDPOINT_URL="http://127.0.0.1:9"), catcher)
            self.assertEqual(catcher.responses(), [], "ResponseURL host 127.0.0.1 is not localhost")
        self.assertEqual(result["kind"], "error", log)
        self.assertEqual(result["error_type"], "ResponseNotDelivered", log)

    def test_aws_ca_bundle_wins_over_the_directory(self):
        other = os.path.join(TMP, "bundle-other")
        os.makedirs(other)
        bundle = self_signed(other, ["127.0.0.1"])[0]
        store = hashed_dir("store-overridden", CERT[0])
        result, log = self.create(W.env(SSL_CERT_DIR=store, AWS_CA_BUNDLE=bundle))
        body = body_of(W.catcher.responses()[-1])
        self.assertEqual(body["Status"], "FAILED", log)
        self.assertRegex(body["Reason"].lower(), r"certificate|ssl", body["Reason"])
        self.assertEqual(W.proxy.requests(), [], "the directory is not consulted")

    def test_untrusted_response_url_not_delivered(self):
        os.makedirs(os.path.join(TMP, "catcher"), exist_ok=True)
        cert = self_signed(os.path.join(TMP, "catcher"), ["127.0.0.1"])
        with ResponseCatcher(tls=cert) as catcher:
            result, log = self.create(insecure_env(AWS_CA_BUNDLE=CERT[0]), catcher)
            self.assertEqual(catcher.responses(), [])
        self.assertEqual(result["kind"], "error", log)
        self.assertEqual(result["error_type"], "ResponseNotDelivered", log)


class CliTlsTest(unittest.TestCase):
    def setUp(self):
        W.fresh("immediate")

    def run_cli(self, *args, env):
        proc = subprocess.run([cli_binary(), "run", "--cluster", CLUSTER, "--task-definition", FAMILY]
                              + list(args), env=env, capture_output=True, text=True, timeout=60)
        transcript.output(proc.stdout)
        transcript.output(proc.stderr)
        return proc

    def test_untrusted_endpoint_refused(self):
        proc = self.run_cli(env=insecure_env())
        self.assertNotEqual(proc.returncode, 0)
        self.assertRegex(proc.stderr.lower(), r"certificate|ssl", proc.stderr)
        self.assertEqual(W.proxy.requests(), [])

    def test_no_option_turns_verification_off(self):
        for option in ("--insecure", "--no-verify-ssl", "-k"):
            with self.subTest(option=option):
                proc = self.run_cli(option, env=W.env(AWS_CA_BUNDLE=CERT[0]))
                self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertEqual(W.proxy.requests("RunTask"), [])


if __name__ == "__main__":
    unittest.main()
