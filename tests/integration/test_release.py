# SPDX-License-Identifier: Apache-2.0
"""The deployable artefacts: the release zip (a static bootstrap that needs
nothing from the host), its portability, make publish, and the
CloudFormation templates (cfn-lint clean)."""
import os
import shutil
import subprocess
import tempfile
import unittest
import zipfile

from cfn_support import World, body_of, event, props
from harness.runtime_emulator import RuntimeEmulator

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ZIP = os.environ.get("ECS_TASKS_ZIP", os.path.join(ROOT, "build", "ecsTasks.zip"))
ARM64_ZIP = os.environ.get("ECS_TASKS_ARM64_ZIP", os.path.join(ROOT, "build", "ecsTasks-arm64.zip"))
CA_FILES = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"]
# Lambda's environment for provided.al2023 (its LD_LIBRARY_PATH included).
LAMBDA_ENV = {
    "LD_LIBRARY_PATH": "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:"
                       "/var/task:/var/task/lib:/opt/lib",
    "LAMBDA_RUNTIME_DIR": "/var/runtime",
    "TZ": ":UTC",
}


def release_zip(path=ZIP):
    if not os.path.exists(path):
        raise unittest.SkipTest("no release zip at %s: run make build" % path)
    return path


def unpack_root(test, path):
    """A root holding nothing but the zip's files at /var/task and a CA file."""
    root = tempfile.mkdtemp()
    test.addCleanup(shutil.rmtree, root)
    task = os.path.join(root, "var", "task")
    os.makedirs(task)
    with zipfile.ZipFile(path) as z:
        z.extractall(task)
    os.chmod(os.path.join(task, "bootstrap"), 0o755)
    ca = next(p for p in CA_FILES if os.path.exists(p))
    os.makedirs(os.path.join(root, "etc", "pki", "tls", "certs"))
    shutil.copy(ca, os.path.join(root, "etc", "pki", "tls", "certs", "ca-bundle.crt"))
    return root


class ZipTest(unittest.TestCase):
    def test_arm64_zip_is_static_aarch64(self):
        path = release_zip(ARM64_ZIP)
        root = unpack_root(self, path)
        headers = subprocess.run(["readelf", "-h", "-l", "-d",
                                  os.path.join(root, "var", "task", "bootstrap")],
                                 capture_output=True, text=True, check=True).stdout
        self.assertIn("AArch64", headers)
        self.assertNotIn("INTERP", headers)
        self.assertNotIn("(NEEDED)", headers)
        self.assertLessEqual(os.path.getsize(path), 3 * 1024 * 1024)

    def test_layout_size_and_static(self):
        path = release_zip()
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            info = z.getinfo("bootstrap")
        self.assertEqual(names, ["bootstrap"])
        self.assertTrue((info.external_attr >> 16) & 0o111, "bootstrap is executable")
        self.assertLessEqual(os.path.getsize(path), 3 * 1024 * 1024)
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        with zipfile.ZipFile(path) as z:
            z.extractall(tmp)
        headers = subprocess.run(["readelf", "-l", "-d", os.path.join(tmp, "bootstrap")],
                                 capture_output=True, text=True, check=True).stdout
        self.assertNotIn("INTERP", headers, "no dynamic loader")
        self.assertNotIn("(NEEDED)", headers, "no shared library")


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("chroot"), "needs root for chroot")
class PortabilityTest(unittest.TestCase):
    """The unpacked zip in a root holding nothing but its own files and a CA
    file, at Lambda's /var/task, serves a full Create against moto."""

    @classmethod
    def setUpClass(cls):
        cls.world = World()

    @classmethod
    def tearDownClass(cls):
        cls.world.close()

    def create_in_root(self, root, wrapper):
        W = self.world
        W.fresh("immediate")
        env = W.env(**LAMBDA_ENV)
        env.pop("SSL_CERT_FILE", None)
        with RuntimeEmulator("/var/task/bootstrap", env=env, timeout_s=60,
                             wrapper=wrapper) as rt:
            result = rt.invoke(event(W, "Create", props()), timeout=60)
            log = "\n".join(rt.log_lines)
        self.assertEqual(result["kind"], "response", log)
        body = body_of(W.catcher.responses()[-1])
        self.assertEqual(body["Status"], "SUCCESS", log)
        self.assertRegex(body["PhysicalResourceId"], r":task/")

    def test_create_from_an_empty_root(self):
        root = unpack_root(self, release_zip())
        self.create_in_root(root, ["chroot", root])

    @unittest.skipUnless(shutil.which("qemu-aarch64-static"), "qemu-user-static is not installed")
    def test_arm64_create_under_qemu(self):
        root = unpack_root(self, release_zip(ARM64_ZIP))
        qemu = shutil.which("qemu-aarch64-static")
        shutil.copy(qemu, os.path.join(root, "qemu-aarch64-static"))
        self.create_in_root(root, ["chroot", root, "/qemu-aarch64-static"])


class TemplateTest(unittest.TestCase):
    def test_cfn_lint_clean(self):
        for name in ("ecs-tasks.yaml", "example.yaml"):
            proc = subprocess.run(["cfn-lint", os.path.join(ROOT, "deploy", name)],
                                  capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, "%s:\n%s%s" % (name, proc.stdout, proc.stderr))


class PublishTest(unittest.TestCase):
    def test_make_publish_prints_url_and_version(self):
        from harness.moto import MotoServer
        with MotoServer() as moto:
            s3 = moto.client("s3")
            s3.create_bucket(Bucket="artefacts")
            s3.put_bucket_versioning(Bucket="artefacts",
                                     VersioningConfiguration={"Status": "Enabled"})
            tmp = tempfile.mkdtemp()
            self.addCleanup(shutil.rmtree, tmp)
            zip_path = os.path.join(tmp, "ecsTasks.zip")
            with zipfile.ZipFile(zip_path, "w") as z:
                z.writestr("bootstrap", "#!/bin/sh\n")
            env = dict(moto.env(AWS_ENDPOINT_URL_S3=moto.url), PATH=os.environ["PATH"])
            outs = []
            for _ in range(2):
                proc = subprocess.run(["make", "-s", "-C", ROOT, "publish-only",
                                       "ZIP=" + zip_path, "S3_BUCKET=artefacts"],
                                      env=env, capture_output=True, text=True)
                self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
                outs.append(proc.stdout)
            versions = [line.split(": ")[1] for out in outs for line in out.splitlines()
                        if line.startswith("S3ObjectVersion: ")]
            self.assertEqual(len(versions), 2)
            self.assertNotEqual(versions[0], versions[1], "each publish is a new version")
            self.assertIn("s3://artefacts/ecsTasks.zip", outs[0])
            got = s3.get_object(Bucket="artefacts", Key="ecsTasks.zip",
                                VersionId=versions[1])["Body"].read()
            with open(zip_path, "rb") as f:
                self.assertEqual(got, f.read())


if __name__ == "__main__":
    unittest.main()
