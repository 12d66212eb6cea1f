# SPDX-License-Identifier: Apache-2.0
"""A recording, fault-injecting HTTP proxy in front of moto.

moto cannot produce throttling, 5xx, dropped connections, non-zero exit codes
or RunTask failures[]; this proxy can, on the requests the tests choose:

    proxy = FaultProxy(moto.url).start()
    proxy.add_rule(match={"operation": "RunTask"}, fault="throttle", times=2)
    proxy.add_rule(match={"operation": "DescribeTasks"}, fault="transform",
                   transform=lambda answer: answer, times=None)
    ... run the program with AWS_ENDPOINT_URL=proxy.url ...
    proxy.requests("RunTask")  # what the program sent, parsed, and what it got

Every ECS request is checked against the ECS service model (harness/ecs_shapes.py):
record["invalid"] is the report, None when ECS would accept it (and for
requests of other services); the suite fails if the product sent an invalid one.

Requests are forwarded with every header unchanged, Host included: SigV4 signs
Host and moto verifies against the Host it receives. The client's connection
is kept alive even though moto closes each of its own, so tests can count the
connections the program opens (record["connection"]).
"""
import contextlib
import http.client
import json
import threading
import time
import urllib.parse

from . import ecs_shapes
from .util import free_port, handler, serve, shutdown

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "content-length"}


def describe_request(method, path, headers, body):
    """service, operation and parsed params of an AWS request."""
    auth = headers.get("authorization", "")
    service = ""
    if "Credential=" in auth:
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        service = scope[3] if len(scope) > 3 else ""
    target = headers.get("x-amz-target", "")
    params = None
    operation = ""
    if target:
        operation = target.rsplit(".", 1)[-1]
        try:
            params = json.loads(body or b"{}")
        except ValueError:
            params = None
    elif headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        params = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"),
                                             keep_blank_values=True))
        operation = params.get("Action", "")
    elif "/functions/" in path and path.endswith("/invocations"):
        operation = "Invoke"
        try:
            params = json.loads(body or b"null")
        except ValueError:
            params = None
    return service, operation, params


class Rule:
    def __init__(self, match, fault, times=1, delay_s=0.0, status=None, body=None,
                 headers=None, transform=None):
        self.match = match or {}
        self.fault = fault
        self.times = times
        self.delay_s = delay_s
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.transform = transform

    def matches(self, record):
        for key, want in self.match.items():
            if key == "path_prefix":
                if not record["path"].startswith(want):
                    return False
            elif record.get(key) != want:
                return False
        return self.times is None or self.times > 0

    def consume(self):
        if self.times is not None:
            self.times -= 1


SUITE_LOG = object()


class FaultProxy:
    def __init__(self, upstream_url, tls=None, check_log=SUITE_LOG):
        """check_log: where the ECS requests' checks are recorded; by default
        the suite's (ecs_shapes.suite_log()), which must hold no invalid one.
        A test that sends an invalid request on purpose gives its own path."""
        self.upstream = urllib.parse.urlsplit(upstream_url)
        self.check_log = ecs_shapes.suite_log() if check_log is SUITE_LOG else check_log
        self.port = free_port()
        self.tls = tls
        self.url = "%s://127.0.0.1:%d" % ("https" if tls else "http", self.port)
        self.lock = threading.Lock()
        self._rules = []
        self._requests = []
        self._tokens = {}
        self._token_locks = {}
        self._token_ops = set()
        self.server = None

    # --- life cycle ---------------------------------------------------------

    def start(self):
        ecs_shapes.model()  # loaded now rather than during a test's first ECS call
        routes = {m: self._handle for m in ("GET", "POST", "PUT", "DELETE", "HEAD")}
        self.server, self.url = serve(handler(routes), self.port, self.tls)
        return self

    def stop(self):
        shutdown(self.server)
        self.server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- what tests call ------------------------------------------------------

    def add_rule(self, match=None, fault="http500", times=1, **kw):
        with self.lock:
            self._rules.append(Rule(match, fault, times, **kw))

    def clear_rules(self):
        with self.lock:
            self._rules = []
            self._tokens = {}
            self._token_locks = {}
            self._token_ops = set()

    def clear(self):
        with self.lock:
            self._requests = []

    def requests(self, operation=None):
        with self.lock:
            return [r for r in self._requests if operation is None or r["operation"] == operation]

    def honour_client_token(self, operation="RunTask"):
        """Answers a repeated clientToken with the first answer, starting nothing
        (what ECS does for 24 h; moto ignores clientToken)."""
        with self.lock:
            self._token_ops.add(operation)

    # --- the proxy ----------------------------------------------------------

    def _take_rule(self, record):
        with self.lock:
            for rule in self._rules:
                if rule.matches(record):
                    rule.consume()
                    return rule
        return None

    def _handle(self, h):
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in h.headers.items()}
        split = urllib.parse.urlsplit(h.path)
        service, operation, params = describe_request(h.command, split.path, headers, body)
        record = {"time": time.monotonic(), "method": h.command, "path": split.path,
                  "query": split.query, "headers": headers, "body": body, "service": service,
                  "operation": operation, "params": params, "status": None, "fault": None,
                  "response": None, "connection": "%s:%d" % h.client_address, "invalid": None}
        if service == "ecs":
            record["invalid"] = ecs_shapes.check(operation, params, self.check_log)
        with self.lock:
            self._requests.append(record)
        # Requests with the same clientToken are answered one at a time, as
        # ECS does: the second waits for the first and gets its answer.
        with self._token_lock(record):
            self._serve(h, record, service, headers, body)

    def _token_lock(self, record):
        params = record["params"] if isinstance(record["params"], dict) else {}
        token = params.get("clientToken")
        if not token or record["operation"] not in self._token_ops:
            return contextlib.nullcontext()
        with self.lock:
            return self._token_locks.setdefault(token, threading.Lock())

    def _serve(self, h, record, service, headers, body):
        token = self._cached_token_answer(record)
        if token is not None:
            return self._answer(h, record, *token)
        rule = self._take_rule(record)
        if rule:
            record["fault"] = rule.fault
        if rule and rule.fault == "drop":
            h.close_connection = True
            record["status"] = 0
            return
        if rule and rule.fault in ("throttle", "http500", "http503", "status", "malformed"):
            return self._answer(h, record, *self._canned(rule, service))
        if rule and rule.fault == "delay":
            time.sleep(rule.delay_s)
        status, resp_headers, resp_body = self._forward(h.command, h.path, headers, body)
        if rule and rule.fault == "transform" and rule.transform:
            resp_body = json.dumps(rule.transform(json.loads(resp_body or b"{}"))).encode()
        self._remember_token(record, status, resp_headers, resp_body)
        self._answer(h, record, status, resp_headers, resp_body)
        return None

    def _canned(self, rule, service):
        if rule.fault == "status":
            return rule.status or 200, dict(rule.headers), rule.body or b""
        if rule.fault == "malformed":
            return 200, {"Content-Type": "application/x-amz-json-1.1"}, b"{not json"
        status = {"throttle": 400, "http500": 500, "http503": 503}[rule.fault]
        code = {"throttle": "ThrottlingException", "http500": "InternalFailure",
                "http503": "ServiceUnavailable"}[rule.fault]
        if service == "cloudformation":
            xml = ("<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code>"
                   "<Message>injected by the fault proxy</Message></Error></ErrorResponse>"
                   % ("Throttling" if rule.fault == "throttle" else code))
            return status, {"Content-Type": "text/xml"}, xml.encode()
        body = json.dumps({"__type": code, "message": "injected by the fault proxy"})
        return status, {"Content-Type": "application/x-amz-json-1.1",
                        "X-Amzn-ErrorType": code}, rule.body or body.encode()

    def _forward(self, method, path, headers, body):
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=60)
        try:
            out = {k: v for k, v in headers.items() if k not in HOP_BY_HOP}
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for k, v in out.items():
                conn.putheader(k, v)
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            resp = conn.getresponse()
            data = resp.read()
            resp_headers = {k: v for k, v in resp.getheaders() if k.lower() not in HOP_BY_HOP}
            return resp.status, resp_headers, data
        finally:
            conn.close()

    def _answer(self, h, record, status, headers, body):
        record["status"] = status
        record["response"] = body
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(body)

    def _cached_token_answer(self, record):
        params = record["params"] if isinstance(record["params"], dict) else {}
        token = params.get("clientToken")
        with self.lock:
            if record["operation"] in self._token_ops and token in self._tokens:
                return self._tokens[token]
        return None

    def _remember_token(self, record, status, headers, body):
        params = record["params"] if isinstance(record["params"], dict) else {}
        token = params.get("clientToken")
        if token and record["operation"] in self._token_ops and status == 200:
            with self.lock:
                self._tokens.setdefault(token, (status, headers, body))
