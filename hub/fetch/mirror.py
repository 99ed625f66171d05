"""A small HTTP file server with Range support: the local mirror of the demo and of the tests.

It serves files under a directory by URL path, so a file at ``<root>/models/r1.7/x.ckpt`` answers
``MSHUB_ENDPOINT`` + ``/models/r1.7/x.ckpt`` just as the real asset host would.
"""
from __future__ import annotations

import email.utils
import os
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


class FileHandler(BaseHTTPRequestHandler):
    """GET/HEAD of files under ``server.root``; honours single ``Range: bytes=a-[b]`` requests."""

    protocol_version = "HTTP/1.1"
    server: MirrorHTTPServer

    def log_message(self, format, *args) -> None:  # noqa: A002 - keep test and demo output clean
        pass

    def resolve(self) -> Path | None:
        rel = unquote(urlsplit(self.path).path).lstrip("/")
        parts = [p for p in rel.split("/") if p]
        if any(p in (".", "..") or "\\" in p for p in parts):
            return None
        path = self.server.root.joinpath(*parts)
        return path if path.is_file() else None

    def do_HEAD(self) -> None:
        self.serve(body=False)

    def do_GET(self) -> None:
        self.serve(body=True)

    def serve(self, body: bool) -> None:
        self.server.record(self)
        path = self.resolve()
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "no such file")
            return
        stat = path.stat()
        size = stat.st_size
        start, end = 0, size - 1
        status = HTTPStatus.OK
        match = _RANGE.match(self.headers.get("Range", "")) if self.server.honour_range else None
        if match:
            start = int(match[1])
            end = min(int(match[2]), size - 1) if match[2] else size - 1
            if start >= size or start > end:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = HTTPStatus.PARTIAL_CONTENT
        length = end - start + 1
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes" if self.server.honour_range else "none")
        # Validators as static file servers make them: a changed file gets a new ETag.
        self.send_header("ETag", f'"{stat.st_mtime_ns:x}-{size:x}-{stat.st_ino:x}"')
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        if status == HTTPStatus.PARTIAL_CONTENT:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if body:
            self.send_body(path, start, length)

    def send_body(self, path: Path, start: int, length: int) -> None:
        with open(path, "rb") as f:
            try:
                self.wfile.flush()
                self.connection.sendfile(f, start, length)
            except (BrokenPipeError, ConnectionResetError):
                pass


class MirrorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, handler, root: Path, honour_range: bool = True) -> None:
        super().__init__(address, handler)
        self.root = Path(root)
        self.honour_range = honour_range
        self.requests: list[dict] = []
        self._lock = threading.Lock()

    def record(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests.append({"method": handler.command, "path": handler.path,
                                  "range": handler.headers.get("Range"),
                                  "accept_encoding": handler.headers.get("Accept-Encoding")})


class Mirror:
    """Run a ``MirrorHTTPServer`` on 127.0.0.1 in a background thread (a context manager)."""

    def __init__(self, root: str | os.PathLike, handler=FileHandler, port: int = 0,
                 honour_range: bool = True) -> None:
        self.server = MirrorHTTPServer(("127.0.0.1", port), handler, Path(root), honour_range)
        self.thread = threading.Thread(target=self.server.serve_forever, name="hub-mirror", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[dict]:
        return list(self.server.requests)

    def start(self) -> Mirror:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> Mirror:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
