"""Small helpers shared by the harness pieces."""
import socket
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


class QuietServer(__import__("http.server").server.ThreadingHTTPServer):
    """A threaded HTTP server that does not print a traceback when a client
    (often a process the test just killed) drops its connection."""
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass
