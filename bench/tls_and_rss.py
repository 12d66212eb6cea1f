#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The first AWS call over TLS, by trust store, and the peak RSS of a whole
Create (start, poll, PUT) over HTTP and over TLS.

First TLS call: a fresh runtime process gets one Create through a minimal
Runtime API; its AWS endpoint is a TLS server on 127.0.0.1 (a self-signed
P-256 certificate, like the tests'). Timed on the server, from the TCP accept
to the whole first request read: the client's trust store set-up, the
handshake, its verification and the request. Runs interleaved, one process
each, with three stores:
  one CA      AWS_CA_BUNDLE holding only the certificate needed;
  full, dir   the platform's whole store as a hashed directory (every hash
              link of /etc/ssl/certs plus ours; SSL_CERT_DIR), as ecs-tasks
              uses it where the platform has one;
  full, file  the platform's bundle plus ours as one file (AWS_CA_BUNDLE):
              what a bundle costs, the fallback where there is no directory.

Peak RSS: one Create against moto (the integration tests' World), tasks
stopped at the first poll, the process exiting after it
(ECS_TASKS_MAX_EVENTS=1) under /usr/bin/time -v; over TLS the proxy in
front of moto speaks TLS and the store is the hashed directory.

    bench/tls_and_rss.py --binary build/release-x86_64/zip/bootstrap [--dev build/ecs-tasks]
"""
import argparse
import glob
import http.server
import json
import os
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
sys.dont_write_bytecode = True

from cfn_support import World, body_of, event, props  # noqa: E402
from harness.runtime_emulator import RuntimeEmulator  # noqa: E402
from harness.tls import self_signed  # noqa: E402

PLATFORM_DIR = "/etc/ssl/certs"
PLATFORM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def subject_hash(cert):
    return subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", cert], check=True,
                          capture_output=True, text=True).stdout.strip()


def full_store_dir(tmp, cert):
    """The platform's hash links plus ours, in a directory of our own."""
    d = os.path.join(tmp, "store")
    os.makedirs(d)
    links = [p for p in glob.glob(os.path.join(PLATFORM_DIR, "*.[0-9]"))
             if len(os.path.basename(p)) >= 10]
    for p in links:
        os.symlink(os.path.realpath(p), os.path.join(d, os.path.basename(p)))
    h = subject_hash(cert)
    n = 0
    while os.path.exists(os.path.join(d, "%s.%d" % (h, n))):
        n += 1
    os.symlink(cert, os.path.join(d, "%s.%d" % (h, n)))
    return d, len(links) + 1


def full_store_file(tmp, cert):
    path = os.path.join(tmp, "bundle.pem")
    with open(path, "w") as out, open(PLATFORM_BUNDLE) as platform_bundle, open(cert) as ours:
        out.write(platform_bundle.read())
        out.write(ours.read())
    return path


class TlsEndpoint:
    """Accepts one connection at a time; records accept-to-request times and
    answers every request with an ECS error (the Create then fails fast)."""

    def __init__(self, cert_and_key):
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(*cert_and_key)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.times = []
        self.cond = threading.Condition()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                raw, _ = self.sock.accept()
            except OSError:
                return
            t0 = time.perf_counter()
            try:
                conn = self.ctx.wrap_socket(raw, server_side=True)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                t1 = time.perf_counter()
                body = b'{"__type":"ClientException","message":"bench"}'
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.1"
                             b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
                             + body)
                conn.close()
                with self.cond:
                    self.times.append((t1 - t0) * 1000)
                    self.cond.notify_all()
            except (OSError, ssl.SSLError):
                raw.close()

    def close(self):
        self.sock.close()


class OneEvent(http.server.BaseHTTPRequestHandler):
    """A Runtime API that hands out one Create and takes any answer."""
    event = b"{}"

    def do_GET(self):
        if self.server.served:
            time.sleep(30)  # the process is ended before this returns
            return
        self.server.served = True
        self.send_response(200)
        self.send_header("Lambda-Runtime-Aws-Request-Id", "bench-1")
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int((time.time() + 60) * 1000)))
        self.send_header("Content-Length", str(len(self.event)))
        self.end_headers()
        self.wfile.write(self.event)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def first_call_ms(binary, endpoint, store_env):
    """One fresh process, one Create: the accept-to-request time of its first
    TLS connection."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), OneEvent)
    server.served = False
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {"PATH": "/usr/bin:/bin", "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench",
           "AWS_SECRET_ACCESS_KEY": "bench", "AWS_LAMBDA_FUNCTION_NAME": "ecsTasks",
           "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:%d" % server.server_address[1],
           "AWS_ENDPOINT_URL": "https://127.0.0.1:%d" % endpoint.port, "AWS_MAX_ATTEMPTS": "1",
           "AWS_LAMBDA_LOG_LEVEL": "ERROR"}
    env.update(store_env)
    with endpoint.cond:
        before = len(endpoint.times)
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        with endpoint.cond:
            if not endpoint.cond.wait_for(lambda: len(endpoint.times) > before, 20):
                raise SystemExit("no TLS request from %s with %s" % (binary, store_env))
            return endpoint.times[before]
    finally:
        proc.kill()
        proc.wait()
        server.shutdown()
        server.server_close()


def tls_first_call(binary, runs):
    tmp = tempfile.mkdtemp()
    try:
        cert = self_signed(tmp, ["127.0.0.1"])
        store, n_dir = full_store_dir(tmp, cert[0])
        bundle = full_store_file(tmp, cert[0])
        OneEvent.event = json.dumps({
            "RequestType": "Create", "ServiceToken": "arn:aws:lambda:us-east-1:1:function:f",
            "ResponseURL": "http://127.0.0.1:9/cfn?X-Amz-Date=20260101T000000Z",
            "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
            "RequestId": "r1", "LogicalResourceId": "Migrate", "ResourceType": "Custom::ECSTask",
            "ResourceProperties": {"ServiceToken": "arn:aws:lambda:us-east-1:1:function:f",
                                   "Cluster": "c", "TaskDefinition": "t", "Timeout": "0"},
        }).encode()
        stores = [("one CA (AWS_CA_BUNDLE, 1 certificate)", {"AWS_CA_BUNDLE": cert[0]}),
                  ("full store, hashed directory (%d CAs, SSL_CERT_DIR)" % n_dir,
                   {"SSL_CERT_DIR": store}),
                  ("full store, one bundle file (%d CAs, AWS_CA_BUNDLE)" % n_dir,
                   {"AWS_CA_BUNDLE": bundle})]
        endpoint = TlsEndpoint(cert)
        times = {name: [] for name, _ in stores}
        for i in range(runs):
            # Each round in another order: no store always follows the same one.
            for name, env in stores[i % 3:] + stores[:i % 3]:
                times[name].append(first_call_ms(binary, endpoint, env))
        endpoint.close()
        return [(name, statistics.median(times[name]), min(times[name])) for name, _ in stores]
    finally:
        shutil.rmtree(tmp)


def create_peak_rss(world, binary, extra_env):
    """Peak RSS (KiB) of a process that serves one one-poll Create, to exit."""
    world.fresh("immediate")
    env = world.env(AWS_LAMBDA_LOG_LEVEL="INFO", ECS_TASKS_MAX_EVENTS="1", **extra_env)
    with RuntimeEmulator(binary, env=env, timeout_s=60, wrapper=["/usr/bin/time", "-v"],
                         restart=False) as rt:
        result = rt.invoke(event(world, "Create", props(Count="1", PollInterval="1")))
        rt.wait_exit(timeout=60)
        deadline = time.time() + 10  # /usr/bin/time's report follows the exit
        while time.time() < deadline and not any("Maximum resident" in x for x in rt.log_lines):
            time.sleep(0.05)
        log = list(rt.log_lines)
    if result["kind"] != "response" or body_of(world.catcher.responses()[-1])["Status"] != "SUCCESS":
        raise SystemExit("the Create did not succeed:\n" + "\n".join(log[-20:]))
    for line in log:
        if "Maximum resident set size" in line:
            return int(line.split(":")[1])
    raise SystemExit("no peak RSS in the output")


def smaps_breakdown(pid, binary):
    """Resident KiB by kind of mapping, from /proc/PID/smaps."""
    kinds = {}
    real = os.path.realpath(binary)
    with open("/proc/%d/smaps" % pid) as f:
        kind = None
        for line in f:
            fields = line.split()
            if fields and "-" in fields[0] and len(fields) >= 5 and ":" not in fields[0]:
                perms, path = fields[1], fields[5] if len(fields) > 5 else ""
                if path and os.path.realpath(path) == real:
                    kind = ("binary: code and read-only data (file pages)" if "w" not in perms
                            else "binary: data, relro and bss")
                elif path == "[heap]":
                    kind = "heap (malloc)"
                elif path == "[stack]":
                    kind = "stack"
                elif path.startswith("["):
                    kind = "vdso, vvar"
                else:
                    kind = "anonymous mappings (large mallocs)"
            elif fields and fields[0] == "Rss:":
                kinds[kind] = kinds.get(kind, 0) + int(fields[1])
    return kinds


def create_rss_breakdown(world, binary, extra_env):
    """Peak RSS (VmHWM) and resident memory by kind of mapping of a process
    that has served one Create and waits for the next event."""
    world.fresh("immediate")
    env = world.env(AWS_LAMBDA_LOG_LEVEL="INFO", **extra_env)
    with RuntimeEmulator(binary, env=env, timeout_s=60, restart=False) as rt:
        rt.invoke(event(world, "Create", props(Count="1", PollInterval="1")))
        time.sleep(0.3)  # back in its `next`
        pid = rt.proc.pid
        with open("/proc/%d/status" % pid) as f:
            hwm = next(int(x.split()[1]) for x in f if x.startswith("VmHWM:"))
        return hwm, smaps_breakdown(pid, binary)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--dev", help="the development (dynamic) build, if built")
    ap.add_argument("--runs", type=int, default=15)
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    rows = tls_first_call(binary, a.runs)
    one_ca = rows[0][1]
    print("First AWS call over TLS of a fresh process (server side: TCP accept to the whole "
          "request; %d runs each, interleaved, the order rotating; median):\n" % a.runs)
    print("| trust store | first TLS call (median) | best | over the one-CA store |")
    print("|---|---|---|---|")
    for name, med, best in rows:
        print("| %s | %.2f ms | %.2f ms | %+.2f ms |" % (name, med, best, med - one_ca))

    programs = [("ecs-tasks bootstrap, release (static)", binary)]
    if a.dev:
        programs.append(("ecs-tasks, development build (dynamic)", os.path.abspath(a.dev)))
    tmp = tempfile.mkdtemp()
    cert = self_signed(tmp, ["127.0.0.1"])
    store, _ = full_store_dir(tmp, cert[0])
    http_world = World()
    tls_world = World(tls=cert)
    try:
        print("\nPeak RSS of a whole Create (start, RunTask, one DescribeTasks, PUT; "
              "/usr/bin/time -v):\n")
        print("| program | over HTTP | over TLS (hashed-directory store) |")
        print("|---|---|---|")
        for name, path in programs:
            over_http = create_peak_rss(http_world, path, {})
            over_tls = create_peak_rss(tls_world, path, {"SSL_CERT_DIR": store})
            print("| %s | %.2f MiB | %.2f MiB |" % (name, over_http / 1024, over_tls / 1024))
        print("\nWhere the release binary's resident memory is after one Create, waiting for "
              "the next event (/proc/PID/smaps; VmHWM is the peak):\n")
        print("| resident memory | after a Create over HTTP | after a Create over TLS |")
        print("|---|---|---|")
        http_hwm, http_kinds = create_rss_breakdown(http_world, binary, {})
        tls_hwm, tls_kinds = create_rss_breakdown(tls_world, binary, {"SSL_CERT_DIR": store})
        for kind in sorted(set(http_kinds) | set(tls_kinds),
                           key=lambda k: -tls_kinds.get(k, 0)):
            print("| %s | %d KiB | %d KiB |" % (kind, http_kinds.get(kind, 0),
                                                tls_kinds.get(kind, 0)))
        print("| total resident | %d KiB | %d KiB |" % (sum(http_kinds.values()),
                                                       sum(tls_kinds.values())))
        print("| peak (VmHWM) | %d KiB | %d KiB |" % (http_hwm, tls_hwm))
    finally:
        http_world.close()
        tls_world.close()
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
