"""A real HTTP server on 127.0.0.1 whose behaviour tests can script: faults, redirects, counts."""
from __future__ import annotations

import gzip
import hashlib
import threading
import time
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Callable, Iterator

from hub.fetch.mirror import FileHandler, Mirror


class FaultyHandler(FileHandler):
    """Serves files like the mirror, but first consults ``server.faults`` (a list, consumed in order).

    A fault is a dict: {"status": 500, "headers": {...}} answers with that status and no body;
    {"drop_after": n} sends the headers and n body bytes, then closes; {"stall_after": n, "seconds": s}
    sends n bytes then stops sending for s seconds; {"body": b"...", "status": 200, "content_type": ...}
    answers with those bytes; {"redirect": "/other"} answers 302 to that location;
    {"length_delta": d} sends the whole file under a Content-Length d bytes off, then closes;
    {"endless": True} sends zeros without a Content-Length until the client goes away;
    {"range_start": n} answers 206 with the file from byte n, whatever was asked;
    {"gzip_body": data} sends ``data`` (already gzip-compressed) as a gzip-encoded body.
    ``server.gzip`` "always" gzips every body (and ignores Range); "when-asked" gzips when the request
    accepts gzip.
    """

    def serve(self, body: bool) -> None:
        fault = None
        with self.server.fault_lock:
            if self.server.faults:
                fault = self.server.faults.pop(0)
        if fault is None:
            accepts = "gzip" in self.headers.get("Accept-Encoding", "")
            if self.server.gzip == "always" or (self.server.gzip == "when-asked" and accepts):
                self.server.record(self)
                path = self.resolve()
                return self.send_bytes(gzip.compress(path.read_bytes(), 6), encoding="gzip")
            return super().serve(body)
        self.server.record(self)
        if "length_delta" in fault:
            data = self.resolve().read_bytes()
            return self.send_bytes(data, length=len(data) + fault["length_delta"])
        if "endless" in fault:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"\0" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                return
        if "range_start" in fault:
            data = self.resolve().read_bytes()
            start = fault["range_start"]
            self.send_response(HTTPStatus.PARTIAL_CONTENT)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.send_header("Content-Length", str(len(data) - start))
            self.end_headers()
            self.wfile.write(data[start:])
            return
        if "gzip_body" in fault:
            return self.send_bytes(fault["gzip_body"], encoding="gzip")
        if "redirect" in fault:
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", fault["redirect"])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if "body" in fault:
            data = fault["body"]
            self.send_response(fault.get("status", 200))
            self.send_header("Content-Type", fault.get("content_type", "application/octet-stream"))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if "status" in fault:
            self.send_response(fault["status"])
            for key, value in fault.get("headers", {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path = self.resolve()
        data = path.read_bytes()
        start = 0
        range_header = self.headers.get("Range")
        if range_header:
            start = int(range_header.split("=")[1].split("-")[0])
            self.send_response(HTTPStatus.PARTIAL_CONTENT)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(HTTPStatus.OK)
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        cut = fault.get("drop_after", fault.get("stall_after"))
        self.wfile.write(data[start:start + cut])
        self.wfile.flush()
        if "stall_after" in fault:
            time.sleep(fault["seconds"])
        self.close_connection = True


    def send_bytes(self, data: bytes, encoding: str | None = None, length: int | None = None) -> None:
        """A 200 with ``data`` as the body (declared as ``length`` bytes), then the connection closes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "application/octet-stream")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(data) if length is None else length))
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def send_body(self, path: Path, start: int, length: int) -> None:
        """Like the mirror, but ``server.throttle`` seconds of sleep after every 64 KiB when set."""
        if not self.server.throttle:
            return super().send_body(path, start, length)
        with open(path, "rb") as f:
            f.seek(start)
            left = length
            try:
                while left > 0:
                    chunk = f.read(min(65536, left))
                    self.wfile.write(chunk)
                    left -= len(chunk)
                    time.sleep(self.server.throttle)
            except (BrokenPipeError, ConnectionResetError):
                pass


class FaultServer(Mirror):
    """A mirror with scripted faults; ``add_file`` places bytes at a URL path."""

    def __init__(self, root: Path, honour_range: bool = True) -> None:
        super().__init__(root, handler=FaultyHandler, honour_range=honour_range)
        self.server.faults = []
        self.server.fault_lock = threading.Lock()
        self.server.throttle = 0.0
        self.server.gzip = None

    def add_file(self, url_path: str, data: bytes) -> str:
        path = Path(self.server.root, url_path.lstrip("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return self.url + "/" + url_path.lstrip("/")

    def fail_next(self, *faults: dict) -> None:
        with self.server.fault_lock:
            self.server.faults.extend(faults)

    def gets(self, suffix: str = "") -> list[dict]:
        return [r for r in self.requests if r["method"] == "GET" and r["path"].endswith(suffix)]


@contextmanager
def checkpoints_published(root: Path, monkeypatch, release: str, card: Callable[[str, str], tuple[str, str]],
                          fill: float | None, version: str = "1.9") -> Iterator[Callable]:
    """``publish(name, network)``: ``network``'s parameters set to ``fill``, 2 x ``fill``... (so each is told
    apart; None keeps them), saved and served from a local mirror as ``/models/<release>/<name>.ckpt``, and the card
    ``card(name, sha256)`` gives as (file name, text) written into a local catalog; returns what was saved."""
    import numpy as np

    catalog = root / "catalog" / "mindspore" / version
    catalog.mkdir(parents=True)
    with FaultServer(root / "served") as server:
        monkeypatch.setenv("MSHUB_ENDPOINT", server.url)
        monkeypatch.setenv("MSHUB_CATALOG", str(root / "catalog"))

        def publish(name: str, network) -> dict:
            import mindspore as ms

            for i, p in enumerate(network.get_parameters() if fill is not None else ()):
                p.set_data(ms.Tensor(np.full(p.shape, fill * (i + 1), np.float32)))
            path = root / f"{name}.ckpt"
            ms.save_checkpoint(network, str(path))
            data = path.read_bytes()
            server.add_file(f"/models/{release}/{name}.ckpt", data)
            file_name, text = card(name, hashlib.sha256(data).hexdigest())
            (catalog / file_name).write_text(text)
            return {p.name: p.asnumpy() for p in network.get_parameters()}

        yield publish
