"""A hostile HTTP server on 127.0.0.1 that answers slowly: one byte at a time, each sooner than any
per-read timeout, so only a deadline on the whole exchange can end it.

Each path is given an answer (status, headers, body) and what to drip: `"headers"` (the status line
and headers come byte by byte) or `"body"` (headers at once, then the body byte by byte). Paths
without an answer get 404 at once. The server records every request line and whether each drip ran
to its end (`finished`) or the client went away first (`abandoned`), so a test can tell a client
that gave up from one that waited it out without looking at a clock.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    drip: str | None = None  # "headers", "body" or None (answer at once)


@dataclass
class DripServer:
    interval: float = 0.05  # seconds between two bytes
    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)  # "METHOD /path"
    finished: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)  # the client went away mid-drip

    def __post_init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._lock = threading.Condition()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        return int(self._sock.getsockname()[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> DripServer:
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(5)
        self._sock.close()

    def _accept(self) -> None:
        self._sock.settimeout(0.05)  # to see the stop flag: closing the socket does not wake accept()
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            data = b""
            while b"\r\n\r\n" not in data:
                try:
                    chunk = conn.recv(4096)
                except OSError:
                    return
                if not chunk:
                    return
                data += chunk
            method, path = data.split(b"\r\n", 1)[0].decode("latin-1").split(" ")[:2]
            line = f"{method} {path}"
            with self._lock:
                self.requests.append(line)
            answer = self.answers.get(path.split("?", 1)[0], Answer(status=404))
            head = (
                f"HTTP/1.1 {answer.status} X\r\nContent-Length: {len(answer.body)}\r\nConnection: close\r\n"
            )
            head += "".join(f"{k}: {v}\r\n" for k, v in answer.headers) + "\r\n"
            body = b"" if method == "HEAD" else answer.body
            try:
                if answer.drip == "headers":
                    self._drip(conn, head.encode() + body)
                elif answer.drip == "body":
                    conn.sendall(head.encode())
                    self._drip(conn, body)
                else:
                    conn.sendall(head.encode() + body)
                    return
            except OSError:
                self._ended(self.abandoned, line)
                return
            self._ended(self.finished, line)

    def _ended(self, where: list[str], line: str) -> None:
        with self._lock:
            where.append(line)
            self._lock.notify_all()

    def outcome(self, line: str, wait: float = 30.0) -> str:
        """How the drip of `line` ended, once it has: "finished" or "abandoned" (by the client)."""
        with self._lock:
            self._lock.wait_for(lambda: line in self.finished or line in self.abandoned, wait)
            return "finished" if line in self.finished else "abandoned" if line in self.abandoned else "?"

    def _drip(self, conn: socket.socket, data: bytes) -> None:
        for i in range(len(data)):
            if self._stop.is_set():
                raise OSError("server stopped")
            conn.sendall(data[i : i + 1])
            time.sleep(self.interval)
