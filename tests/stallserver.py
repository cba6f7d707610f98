"""A hostile HTTP server on 127.0.0.1 that starts an answer and holds it.

A host can hold a client forever without tripping any read timeout, by sending one byte just before
each read would time out; only a deadline on the whole exchange ends that. This server tests that
deadline without a clock in the test: it sends part of an answer (half the status line and headers,
or the headers and half the body), then holds the connection until the client goes away, for at
most `hold` seconds, after which it sends the rest. Against a client whose read timeout is longer
than `hold`, a client whose deadline works gives up ("abandoned"); one whose deadline does not
waits the answer out ("finished").

Each path is given an answer; paths without one get 404 at once. Answers sent whole keep the
connection alive, as HTTP/1.1 servers do. The server records every request line and the number of
connections, and lets a test wait for the first request (`first_request`) and for how a held
answer ended (`outcome`). With `tls`, it speaks HTTPS.
"""

from __future__ import annotations

import contextlib
import re
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    stall: str | None = None  # "headers", "body", or None: the whole answer at once


@dataclass
class StallServer:
    answers: dict[str, Answer] = field(default_factory=dict)
    tls: ssl.SSLContext | None = None
    hold: float = 10.0  # seconds a held answer waits for the client to give up
    requests: list[str] = field(default_factory=list)  # "METHOD /path"
    ended: dict[str, str] = field(default_factory=dict)  # request line: "abandoned" or "finished"
    connections: int = 0

    def __post_init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._changed = threading.Condition()
        self._stopped = False
        self._open: list[socket.socket] = []
        self._threads = [threading.Thread(target=self._accept, daemon=True)]

    @property
    def port(self) -> int:
        return int(self._sock.getsockname()[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> StallServer:
        self._threads[0].start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._changed:
            self._stopped = True
            held = [self._sock, *self._open]
        for sock in held:  # wakes accept() and every read held on a connection
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
        for thread in list(self._threads):
            thread.join(5)
        self._sock.close()

    def first_request(self, wait: float = 30.0) -> str:
        """The first request line, once it has come."""
        with self._changed:
            if not self._changed.wait_for(lambda: self.requests, wait):
                raise AssertionError(f"no request within {wait:g} s")
            return self.requests[0]

    def outcome(self, line: str, wait: float = 30.0) -> str:
        """How the held answer to `line` ended, once it has: "abandoned" by the client, or
        "finished" (waited out); "held" if it has not ended within `wait` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: line in self.ended, wait)
            return self.ended.get(line, "held")

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:  # shut down by __exit__
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self._changed:
                if self._stopped:
                    conn.close()
                    return
                self.connections += 1
                self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
        except OSError:
            conn.close()
            return
        with conn:
            with self._changed:
                self._open.append(conn)
            for line in _requests(conn):
                with self._changed:
                    self.requests.append(line)
                    self._changed.notify_all()
                method, path = line.split(" ")
                answer = self.answers.get(path.split("?", 1)[0], Answer(status=404))
                head = f"HTTP/1.1 {answer.status} X\r\nContent-Length: {len(answer.body)}\r\n"
                head += "".join(f"{k}: {v}\r\n" for k, v in answer.headers) + "\r\n"
                whole = head.encode() + (b"" if method == "HEAD" else answer.body)
                cut = {"headers": len(head) // 2, "body": len(head) + len(answer.body) // 2}
                sent = cut.get(answer.stall or "", len(whole))
                try:
                    conn.sendall(whole[:sent])
                    if answer.stall is None:
                        continue
                    ended = self._held(conn, whole[sent:])
                except OSError:
                    ended = "abandoned"
                with self._changed:
                    if not self._stopped:
                        self.ended[line] = ended
                    self._changed.notify_all()
                return

    def _held(self, conn: socket.socket, rest: bytes) -> str:
        """Wait for the client to go away (or the server to stop); after `hold`, send the rest."""
        conn.settimeout(self.hold)
        try:
            while conn.recv(4096):
                pass
        except TimeoutError:
            conn.sendall(rest)
            return "finished"
        return "abandoned"


def _requests(conn: socket.socket) -> Iterator[str]:
    """Each request's "METHOD /path" in turn, its head and body read, until the client closes."""
    data = b""
    while True:
        while b"\r\n\r\n" not in data:
            if not (chunk := _recv(conn)):
                return
            data += chunk
        head, data = data.split(b"\r\n\r\n", 1)
        declared = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        length = int(declared[1]) if declared else 0
        while len(data) < length:
            if not (chunk := _recv(conn)):
                return
            data += chunk
        data = data[length:]
        method, path = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")[:2]
        yield f"{method} {path}"


def _recv(conn: socket.socket) -> bytes:
    try:
        return conn.recv(4096)
    except OSError:
        return b""
