# SPDX-License-Identifier: Apache-2.0
"""The command-line downloads (`make dist`): one tarball per architecture
with the static release binary as `ecs-tasks`, its man page, README and
LICENSE, and a `sha256sum -c` file; unpacked into an empty root holding
nothing else but a CA file, the binary shows its version and runs a task
against moto (arm64: its version, under qemu)."""
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import unittest

from cfn_support import CLUSTER, FAMILY, World
from harness import transcript

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CA_FILES = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"]
MEMBERS = ["LICENSE", "README.md", "ecs-tasks", "ecs-tasks.1"]


def version():
    with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
        return re.search(r"project\(ecs_tasks VERSION ([0-9.]+)", f.read()).group(1)


class DistTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for arch in ("x86_64", "arm64"):
            if not os.path.exists(os.path.join(ROOT, "build", "release-%s" % arch, "zip",
                                               "bootstrap")):
                raise unittest.SkipTest("no %s release binary: run make build ARCH=%s" %
                                        (arch, arch))
        cls.dist = tempfile.mkdtemp()
        proc = subprocess.run(["make", "-s", "-C", ROOT, "dist-only", "DIST_DIR=" + cls.dist],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            shutil.rmtree(cls.dist)
            raise AssertionError("make dist-only failed:\n" + proc.stdout + proc.stderr)
        cls.version = version()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dist)

    def tarball(self, arch):
        return os.path.join(self.dist, "ecs-tasks-%s-linux-%s.tar.gz" % (self.version, arch))

    def unpack_root(self, arch):
        """An empty directory with the tarball unpacked in it and a CA file."""
        root = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, root)
        subprocess.run(["tar", "-xzf", self.tarball(arch), "-C", root], check=True)
        ca = next(p for p in CA_FILES if os.path.exists(p))
        os.makedirs(os.path.join(root, "etc", "ssl", "certs"))
        shutil.copy(ca, os.path.join(root, "etc", "ssl", "certs", "ca-certificates.crt"))
        return root

    def test_contents_and_sums(self):
        names = sorted(os.listdir(self.dist))
        self.assertEqual(names, ["ecs-tasks-%s-%s" % (self.version, n) for n in
                                 ("SHA256SUMS", "linux-arm64.tar.gz", "linux-x86_64.tar.gz")])
        proc = subprocess.run(["sha256sum", "-c", "ecs-tasks-%s-SHA256SUMS" % self.version],
                              cwd=self.dist, capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout.count(": OK"), 2)
        for arch, machine in (("x86_64", "X86-64"), ("arm64", "AArch64")):
            with tarfile.open(self.tarball(arch)) as tar:
                members = {m.name: m for m in tar.getmembers()}
                self.assertEqual(sorted(members), MEMBERS)
                self.assertEqual(members["ecs-tasks"].mode, 0o755)
                self.assertEqual((members["ecs-tasks"].uid, members["ecs-tasks"].uname), (0, ""))
                binary = tar.extractfile("ecs-tasks").read()
                with open(os.path.join(ROOT, "build", "release-%s" % arch, "zip",
                                       "bootstrap"), "rb") as f:
                    self.assertEqual(binary, f.read(), "the zip's bootstrap, as is")
                self.assertIn(b".SH EXIT STATUS", tar.extractfile("ecs-tasks.1").read())
            root = self.unpack_root(arch)
            headers = subprocess.run(["readelf", "-h", "-l", "-d", os.path.join(root, "ecs-tasks")],
                                     capture_output=True, text=True, check=True).stdout
            self.assertIn(machine, headers)
            self.assertNotIn("INTERP", headers)
            self.assertNotIn("(NEEDED)", headers)

    def test_reproducible(self):
        again = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, again)
        subprocess.run(["make", "-s", "-C", ROOT, "dist-only", "DIST_DIR=" + again], check=True,
                       capture_output=True)
        for name in os.listdir(self.dist):
            with open(os.path.join(self.dist, name), "rb") as a, \
                    open(os.path.join(again, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)

    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("chroot"), "needs root for chroot")
    def test_runs_from_an_empty_root(self):
        """As the README's install says: unpack, then ./ecs-tasks."""
        root = self.unpack_root("x86_64")
        self.assertEqual(sorted(os.listdir(root)), ["LICENSE", "README.md", "ecs-tasks",
                                                    "ecs-tasks.1", "etc"])
        proc = subprocess.run([shutil.which("chroot"), root, "./ecs-tasks", "--version"], capture_output=True,
                              text=True, env={})
        self.assertEqual((proc.returncode, proc.stdout), (0, "ecs-tasks %s\n" % self.version),
                         proc.stderr)
        world = World()
        self.addCleanup(world.close)
        world.fresh("immediate")
        proc = subprocess.run([shutil.which("chroot"), root, "./ecs-tasks", "run", "--cluster", CLUSTER,
                               "--task-definition", FAMILY, "--poll-interval", "1", "--json"],
                              env=world.env(), capture_output=True, text=True, timeout=60)
        transcript.output(proc.stdout)
        transcript.output(proc.stderr)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        doc = json.loads(proc.stdout)
        self.assertEqual(doc["result"], "SUCCESS")
        self.assertRegex(doc["tasks"][0]["taskArn"], r":task/%s/" % CLUSTER)
        self.assertEqual(len(world.proxy.requests("RunTask")), 1)

    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("chroot") and
                         shutil.which("qemu-aarch64-static"), "needs root and qemu-user-static")
    def test_arm64_version_under_qemu(self):
        root = self.unpack_root("arm64")
        shutil.copy(shutil.which("qemu-aarch64-static"), os.path.join(root, "qemu-aarch64-static"))
        proc = subprocess.run([shutil.which("chroot"), root, "/qemu-aarch64-static", "/ecs-tasks", "--version"],
                              capture_output=True, text=True, env={})
        self.assertEqual((proc.returncode, proc.stdout), (0, "ecs-tasks %s\n" % self.version),
                         proc.stderr)


if __name__ == "__main__":
    unittest.main()
