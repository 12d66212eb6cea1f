# SPDX-License-Identifier: Apache-2.0
"""Small helpers shared by the harness pieces."""
import http.server
import socket
import threading
import time


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout, interval=0.05, what="condition"):
    """Polls predicate() until it is truthy; returns its value or raises."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError("timed out after %.1f s waiting for %s" % (timeout, what))
        time.sleep(interval)


class QuietServer(http.server.ThreadingHTTPServer):
    """A threaded HTTP server that does not print a traceback when a client
    (often a process the test just killed) drops its connection."""
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


def handler(routes):
    """A silent HTTP/1.1 request handler class calling routes[method](request)
    (routes: {"GET": fn, ...})."""
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

    for method, fn in routes.items():
        setattr(Handler, "do_" + method, lambda request, fn=fn: fn(request))
    return Handler


def serve(handler, port, tls=None):
    """Starts a QuietServer on 127.0.0.1:port in a daemon thread; with tls (a
    (cert, key) pair) it speaks HTTPS. Returns (server, base URL)."""
    server = QuietServer(("127.0.0.1", port), handler)
    scheme = "http"
    if tls:
        from .tls import server_context
        server.socket = server_context(tls).wrap_socket(server.socket, server_side=True)
        scheme = "https"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "%s://127.0.0.1:%d" % (scheme, port)


def shutdown(server):
    """Stops a server from serve(); None is accepted."""
    if server:
        server.shutdown()
        server.server_close()
