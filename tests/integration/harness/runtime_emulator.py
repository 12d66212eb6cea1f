# SPDX-License-Identifier: Apache-2.0
"""A Lambda Runtime API emulator that runs the real binary, as Lambda would.

    with RuntimeEmulator(binary, env=moto.env(), timeout_s=5) as rt:
        result = rt.invoke(event)       # {"kind": "response"|"error"|"timeout"|"crash", ...}

It serves the Runtime API (`next`, `response`, `error`, `init/error`) and
enforces each invocation's deadline by killing the process, then restarts it
for the next event, as Lambda does. It also serves Lambda's Invoke API
(POST /2015-03-31/functions/NAME/invocations with InvocationType Event): the
payload is queued as a new event, so a function that re-invokes itself runs
the whole chain for real. AWS_ENDPOINT_URL_LAMBDA is pointed at it unless the
caller's env sets it.
"""
import json
import os
import queue
import signal
import subprocess
import threading
import time
import uuid

from . import transcript
from .util import free_port, handler, serve, shutdown, wait_until

RUNTIME = "/2018-06-01/runtime"


class RuntimeEmulator:
    def __init__(self, binary, env, function_name="ecsTasks", timeout_s=30, args=None,
                 wrapper=None, restart=True):
        self.binary = binary
        self.base_env = dict(env)
        self.function_name = function_name
        self.timeout_s = timeout_s
        self.args = list(args or [])
        self.wrapper = list(wrapper or [])
        self.restart = restart
        self.port = free_port()
        self.lambda_url = "http://127.0.0.1:%d" % self.port
        self.lock = threading.Condition()
        self.events = queue.Queue()
        self.in_flight = None        # (request_id, deadline) of the event being served
        self._results = []
        self._by_id = {}
        self._invokes = []
        self._init_errors = []
        self.log_lines = []
        self.trace_ids = {}          # request id -> the trace id sent with it
        self.proc = None
        self.returncode = None
        self.server = None
        self.stopping = False

    # --- life cycle ---------------------------------------------------------

    def start(self):
        self.server, _ = serve(handler({"GET": self._get, "POST": self._post}), self.port)
        self._spawn()
        threading.Thread(target=self._supervise, daemon=True).start()
        return self

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        """Ends the process (SIGTERM, then SIGKILL) and the server; returns the
        process's exit code."""
        self.stopping = True
        proc = self.proc
        if proc and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc:
            self.returncode = proc.returncode
            try:
                proc.stdout.close()
            except ValueError:
                pass
        shutdown(self.server)
        self.server = None
        return self.returncode

    def wait_exit(self, timeout=60):
        """Waits for the process to exit by itself; returns its exit code."""
        self.proc.wait(timeout)
        self.returncode = self.proc.returncode
        return self.returncode

    # --- what tests call ------------------------------------------------------

    def enqueue(self, event):
        request_id = str(uuid.uuid4())
        body = event if isinstance(event, bytes) else json.dumps(event).encode()
        self.events.put((request_id, body))
        return request_id

    def invoke(self, event, timeout=None):
        request_id = self.enqueue(event)
        wait = (timeout or self.timeout_s) + 10
        with self.lock:
            self.lock.wait_for(lambda: request_id in self._by_id, wait)
            if request_id not in self._by_id:
                raise TimeoutError("no result for %s in %s s; log:\n%s"
                                   % (request_id, wait, "\n".join(self.log_lines[-50:])))
            return self._by_id[request_id]

    def wait_results(self, n, timeout=60):
        with self.lock:
            if not self.lock.wait_for(lambda: len(self._results) >= n, timeout):
                raise TimeoutError("%d of %d results; log:\n%s"
                                   % (len(self._results), n, "\n".join(self.log_lines[-50:])))
        return self.results()

    def wait_log(self, *parts, timeout=5):
        """Waits until a log line holds every one of parts; True when one did.
        The process writes its log before it posts its result, but the lines
        reach log_lines through a pipe and a reader thread, possibly after
        the result: a test that reads the log waits for the line it needs."""
        def seen():
            return any(all(p in line for p in parts) for line in self.log_lines)
        with self.lock:
            return self.lock.wait_for(seen, timeout)

    def results(self):
        with self.lock:
            return list(self._results)

    def invokes(self):
        with self.lock:
            return list(self._invokes)

    def init_errors(self):
        with self.lock:
            return list(self._init_errors)

    # --- the process ----------------------------------------------------------

    def _spawn(self):
        env = dict(self.base_env)
        env.setdefault("AWS_ENDPOINT_URL_LAMBDA", self.lambda_url)
        env.update({
            "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:%d" % self.port,
            "AWS_LAMBDA_FUNCTION_NAME": self.function_name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "_HANDLER": "handler",
            "LAMBDA_TASK_ROOT": os.path.dirname(os.path.abspath(self.binary)),
        })
        self.proc = subprocess.Popen(self.wrapper + [self.binary] + self.args, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        threading.Thread(target=self._read_log, args=(self.proc,), daemon=True).start()

    def _read_log(self, proc):
        try:
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                transcript.output(line)
                with self.lock:
                    self.log_lines.append(line)
                    self.lock.notify_all()
        except ValueError:
            return  # closed by stop()
        proc.stdout.close()

    def _record(self, request_id, kind, **fields):
        with self.lock:
            if request_id in self._by_id:
                return
            result = {"kind": kind, "request_id": request_id, "body": b"", "json": None,
                      "error_type": None, "received_at": time.time()}
            result.update(fields)
            self._results.append(result)
            self._by_id[request_id] = result
            if self.in_flight and self.in_flight[0] == request_id:
                self.in_flight = None
            self.lock.notify_all()

    def _supervise(self):
        while not self.stopping:
            time.sleep(0.02)
            with self.lock:
                flight = self.in_flight
            proc = self.proc
            if flight and time.time() * 1000 > flight[1] and proc.poll() is None:
                proc.kill()
                proc.wait()
                self._record(flight[0], "timeout")
            elif flight and proc.poll() is not None:
                self._record(flight[0], "crash", exit_code=proc.returncode)
            if (proc.poll() is not None and self.restart and not self.stopping
                    and not self.events.empty()):
                self._spawn()

    # --- the HTTP side ----------------------------------------------------------

    def _reply(self, h, status, body=b"", headers=None):
        h.send_response(status)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def _get(self, h):
        if h.path != RUNTIME + "/invocation/next":
            return self._reply(h, 404)
        while not self.stopping:
            try:
                request_id, body = self.events.get(timeout=0.1)
                break
            except queue.Empty:
                continue
        else:
            return self._reply(h, 500)
        deadline = int((time.time() + self.timeout_s) * 1000)
        trace = "Root=1-%08x-%s;Sampled=1" % (int(time.time()), uuid.uuid4().hex[:24])
        with self.lock:
            self.in_flight = (request_id, deadline)
            self.trace_ids[request_id] = trace
        self._reply(h, 200, body, {
            "Lambda-Runtime-Aws-Request-Id": request_id,
            "Lambda-Runtime-Deadline-Ms": str(deadline),
            "Lambda-Runtime-Invoked-Function-Arn":
                "arn:aws:lambda:us-east-1:123456789012:function:" + self.function_name,
            "Lambda-Runtime-Trace-Id": trace,
            "Content-Type": "application/json"})

    def _post(self, h):
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        path = h.path
        if path.startswith("/2015-03-31/functions/") and path.endswith("/invocations"):
            return self._invoke(h, body)
        if path == RUNTIME + "/init/error":
            with self.lock:
                self._init_errors.append(parsed or body)
            return self._reply(h, 202)
        parts = path[len(RUNTIME + "/invocation/"):].split("/")
        if not path.startswith(RUNTIME + "/invocation/") or len(parts) != 2:
            return self._reply(h, 404)
        request_id, what = parts
        transcript.output(body)
        if what == "response":
            self._record(request_id, "response", body=body, json=parsed)
        elif what == "error":
            self._record(request_id, "error", body=body, json=parsed,
                         error_type=h.headers.get("Lambda-Runtime-Function-Error-Type"))
        else:
            return self._reply(h, 404)
        self._reply(h, 202)

    def _invoke(self, h, body):
        kind = h.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        if kind != "Event":
            return self._reply(h, 400, b'{"message":"only Event invocations are emulated"}')
        with self.lock:
            self._invokes.append({"payload": body, "headers": dict(h.headers),
                                  "time": time.time()})
        self.enqueue(body)
        self._reply(h, 202)
