# SPDX-License-Identifier: Apache-2.0
"""The CloudFormation ResponseURL: an HTTP server that records every PUT.

    catcher = ResponseCatcher().start()
    url = catcher.url(query="X-Amz-Signature=...")   # put it in the event
    catcher.fail_next(1)                              # the first PUT gets a 500
    catcher.oversize_next(1)                          # ... a 200 with a 17 MiB body
    catcher.wait_for(1)
    catcher.responses()   # [{"path", "query", "headers", "body", "json", "status",
                          #   "connection" (the client's address:port)}]
"""
import json
import threading
import time
import urllib.parse

from . import transcript
from .util import free_port, handler, serve, shutdown, wait_until


class ResponseCatcher:
    def __init__(self, tls=None):
        self.port = free_port()
        self.tls = tls
        self.base = "%s://127.0.0.1:%d" % ("https" if tls else "http", self.port)
        self.lock = threading.Lock()
        self._responses = []
        self._fail = 0
        self._fail_status = 500
        self._drop = 0
        self._oversize = 0
        self.server = None

    def start(self):
        self.server, self.base = serve(handler({"PUT": self._handle}), self.port, self.tls)
        return self

    def stop(self):
        shutdown(self.server)
        self.server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def url(self, path="/cfn/response", query="X-Amz-Signature=SECRETSIG&X-Amz-Expires=7200"):
        return "%s%s?%s" % (self.base, path, query)

    def fail_next(self, n, status=500):
        with self.lock:
            self._fail, self._fail_status = n, status

    def drop_next(self, n):
        with self.lock:
            self._drop = n

    def oversize_next(self, n):
        """The next n PUTs are answered 200 with a body larger than any the
        product accepts (16 MiB)."""
        with self.lock:
            self._oversize = n

    def clear(self):
        """Forgets the PUTs received and any fault still armed."""
        with self.lock:
            self._responses = []
            self._fail = self._drop = self._oversize = 0

    def responses(self):
        with self.lock:
            return list(self._responses)

    def wait_for(self, n, timeout=30):
        return wait_until(lambda: len(self.responses()) >= n, timeout, what="%d responses" % n)

    def _handle(self, h):
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        transcript.output(body)
        split = urllib.parse.urlsplit(h.path)
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        with self.lock:
            if self._drop:
                self._drop -= 1
                status = 0
            elif self._oversize:
                self._oversize -= 1
                status = -1
            elif self._fail:
                self._fail -= 1
                status = self._fail_status
            else:
                status = 200
            self._responses.append({"path": split.path, "query": split.query,
                                    "headers": {k.lower(): v for k, v in h.headers.items()},
                                    "body": body, "json": parsed, "status": status,
                                    "connection": "%s:%d" % h.client_address,
                                    "time": time.time()})
        if status == 0:
            h.close_connection = True
            return
        if status == -1:
            chunk = b"x" * (1 << 20)
            h.send_response(200)
            h.send_header("Content-Length", str(17 * len(chunk)))
            h.end_headers()
            try:
                for _ in range(17):
                    h.wfile.write(chunk)
            except OSError:  # the client gave up reading: that is the point
                pass
            h.close_connection = True
            return
        h.send_response(status)
        h.send_header("Content-Length", "0")
        h.end_headers()
