"""Faults on a real socket (a local fault-injecting HTTP server) and how they reach the user.

The server answers each connection with the next scripted behaviour: a reset, a body cut short, a
stall past the timeout, an HTML page with status 200, a huge body, an overload status. The fetcher
must retry exactly the transient ones, and the command line must turn every failure into one line
on stderr, exit 2, and leave the previous dataset byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from extractor import cli
from extractor.errors import TransportError
from extractor.fetch import client
from extractor.fetch.client import CONTACT_ENV, Fetcher

if TYPE_CHECKING:
    from tests.support import CliResult

TITLE = "Foreign relations of Kyrgyzstan"
TEXT = "{| class=wikitable\n! Country !! Formal relations began\n|-\n| {{flag|Chile}} || 1992\n|}\n"
ANSWER = json.dumps(
    {
        "batchcomplete": True,
        "query": {
            "pages": [
                {
                    "pageid": 7,
                    "ns": 0,
                    "title": TITLE,
                    "revisions": [
                        {
                            "revid": 70,
                            "parentid": 69,
                            "timestamp": "2024-01-01T00:00:00Z",
                            "slots": {"main": {"contentmodel": "wikitext", "sha1": "0" * 40, "content": TEXT}},
                        }
                    ],
                }
            ]
        },
    }
).encode()

Behaviour = Callable[[socket.socket], None]


def respond(status: int = 200, body: bytes = ANSWER, headers: dict[str, str] | None = None) -> Behaviour:
    """A complete HTTP answer (then the connection closes)."""

    def run(conn: socket.socket) -> None:
        head = {
            "Content-Type": "application/json; charset=utf-8",
            "Content-Length": str(len(body)),
            "Connection": "close",
            **(headers or {}),
        }
        lines = [f"HTTP/1.1 {status} Status"] + [f"{k}: {v}" for k, v in head.items()]
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

    return run


def reset(conn: socket.socket) -> None:
    """Drop the connection with a TCP RST, before any answer."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def truncated(conn: socket.socket) -> None:
    """Promise 10 000 bytes, send 30, hang up: a body cut short in transfer."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n" + ANSWER[:30])


def stall(conn: socket.socket) -> None:
    """Say nothing for longer than the client's timeout."""
    time.sleep(1.5)


def huge_declared(conn: socket.socket) -> None:
    """Declare a 10 GB body."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{")


def huge_streamed(conn: socket.socket) -> None:
    """Stream chunks without a length, far past the limit."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"x" * 65536
    try:
        for _ in range(64):  # 4 MiB
            conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    except OSError:  # the client hung up once it had enough: that is the point
        pass


HTML_ERROR = respond(
    200,
    b"<!DOCTYPE html><html><head><title>Error</title></head><body>Oops</body></html>",
    {"Content-Type": "text/html; charset=utf-8"},
)


class FaultServer:
    """HTTP on 127.0.0.1 that answers each connection with the next behaviour (default: 503)."""

    def __init__(self) -> None:
        self.plan: deque[Behaviour] = deque()
        self.requests: list[str] = []
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self._running = True
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        self.api_url = f"http://127.0.0.1:{self._sock.getsockname()[1]}/w/api.php"

    def _accept(self) -> None:
        while self._running:
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            if not self._running:  # the wake-up call of stop()
                conn.close()
                break
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            self.requests.append(data.split(b"\r\n", 1)[0].decode())
            behaviour = self.plan.popleft() if self.plan else respond(503, b"Service Unavailable")
            with contextlib.suppress(OSError):  # the client may hang up first: that is the fault
                behaviour(conn)

    def stop(self) -> None:
        self._running = False
        # Wake the accept loop now rather than at its next timeout: each test's teardown is instant.
        with contextlib.suppress(OSError):
            socket.create_connection(self._sock.getsockname(), timeout=1).close()
        self._thread.join()
        self._sock.close()


@pytest.fixture
def server() -> Iterator[FaultServer]:
    fault_server = FaultServer()
    yield fault_server
    fault_server.stop()


@pytest.fixture
def sleeps() -> list[float]:
    return []


def fetcher(server: FaultServer, sleeps: list[float], **options: Any) -> Fetcher:
    return Fetcher(api_url=server.api_url, sleep=sleeps.append, **{"timeout": 0.5, **options})


# ---------------------------------------------------------------------------- the fetcher
@pytest.mark.parametrize(
    "fault",
    [reset, truncated, stall, respond(503), respond(502), respond(504)],
    ids=["reset", "truncated-transfer", "timeout", "503", "502", "504"],
)
def test_transient_faults_are_retried_then_the_article_arrives(
    server: FaultServer, sleeps: list[float], fault: Behaviour
) -> None:
    """A reset, a body cut short, a timeout or an overload status: one backoff, then success."""
    server.plan.extend([fault, respond()])
    page = fetcher(server, sleeps).fetch_wikitext(TITLE)
    assert page.content == TEXT and page.source.revision_id == 70
    assert len(server.requests) == 2 and sleeps == [5.0]


def test_429_retry_after_in_seconds_over_http(server: FaultServer, sleeps: list[float]) -> None:
    """429 with Retry-After: 42 waits 42 s (injected sleep), then succeeds."""
    server.plan.extend([respond(429, b"slow down", {"Retry-After": "42"}), respond()])
    fetcher(server, sleeps).fetch_wikitext(TITLE)
    assert sleeps == [42.0]


def test_429_retry_after_as_http_date_over_http(server: FaultServer, sleeps: list[float]) -> None:
    """429 with Retry-After as an HTTP date 90 s ahead of the injected clock waits 90 s."""
    server.plan.extend([respond(429, b"", {"Retry-After": "Fri, 02 Jan 1970 00:01:30 GMT"}), respond()])
    fetcher(server, sleeps, clock=lambda: 86400.0).fetch_wikitext(TITLE)
    assert sleeps == [90.0]


def test_maxlag_with_http_200_is_retried(server: FaultServer, sleeps: list[float]) -> None:
    """The maxlag error arrives with HTTP 200 and a Retry-After; it is retried."""
    lagged = json.dumps({"error": {"code": "maxlag", "info": "Waiting for db-test: 10 seconds lagged."}}).encode()
    server.plan.extend([respond(200, lagged, {"Retry-After": "5", "MediaWiki-API-Error": "maxlag"}), respond()])
    fetcher(server, sleeps).fetch_wikitext(TITLE)
    assert len(server.requests) == 2 and sleeps == [5.0]


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (HTML_ERROR, "not JSON (text/html)"),
        (respond(200, ANSWER[:-40]), "truncated or malformed JSON"),
        (huge_declared, "exceeds the 1048576-byte limit"),
        (huge_streamed, "exceeds the 1048576-byte limit"),
    ],
    ids=["html-200", "truncated-json", "huge-declared", "huge-streamed"],
)
def test_answers_that_cannot_get_better_fail_at_once(
    server: FaultServer, sleeps: list[float], fault: Behaviour, message: str
) -> None:
    """A complete answer that is not the JSON asked for, or one too big, fails without a retry."""
    server.plan.append(fault)
    with pytest.raises(TransportError, match=re.escape(message)) as caught:
        fetcher(server, sleeps, max_response_bytes=2**20).fetch_wikitext(TITLE)
    assert "\n" not in str(caught.value) and TITLE in str(caught.value)
    assert len(server.requests) == 1 and sleeps == []


def test_a_persistent_reset_gives_up_after_the_budget(server: FaultServer, sleeps: list[float]) -> None:
    """Connections reset on every try: max_retries backoffs, then one error naming the title."""
    server.plan.extend([reset] * 4)
    with pytest.raises(TransportError, match=r"connection .* failed.*gave up after 3 retries"):
        fetcher(server, sleeps, max_retries=3).fetch_wikitext(TITLE)
    assert sleeps == [5, 10, 20]


# ---------------------------------------------------------------------------- the command line
def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_503_forever_exits_2_after_the_budget_and_keeps_the_previous_dataset(
    server: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """503 on every try: 5 retries with backoff, exit 2, one stderr line, the old dataset byte-identical."""
    assert cli.main(["--offline", "--out", str(tmp_path)]) == 0
    before = _files(tmp_path)
    sleeps: list[float] = []
    monkeypatch.setattr(client, "Fetcher", functools.partial(Fetcher, sleep=sleeps.append))
    capsys.readouterr()
    code = cli.main(["--api-url", server.api_url, "--title", TITLE, "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    # Each wait says why (never silent), then one line for the error.
    *waits, error = err.splitlines()
    assert [w.split(":", 1)[0] for w in waits] == [
        f"waiting {s} s before retry {n}/5" for n, s in enumerate((5, 10, 20, 40, 80), start=1)
    ]
    assert all("HTTP 503" in w and server.api_url.split("://", 1)[1] in w for w in waits)
    assert "HTTP 503" in error and TITLE in error and "Traceback" not in err
    assert sleeps == [5, 10, 20, 40, 80] and len(server.requests) == 6
    assert _files(tmp_path) == before


@pytest.mark.parametrize(
    "fault",
    [
        respond(503),
        reset,
        truncated,
        HTML_ERROR,
        respond(200, ANSWER[:-40]),
        huge_declared,
        respond(200, json.dumps({"error": {"code": "badvalue", "info": "Unrecognized value"}}).encode()),
    ],
    ids=["503", "reset", "truncated-transfer", "html-200", "truncated-json", "huge", "api-error"],
)
def test_no_fault_reaches_the_user_as_a_traceback(
    server: FaultServer, tmp_path: Path, fault: Behaviour, run_cli: Callable[..., CliResult]
) -> None:
    """Exit 2, one line naming the title, no traceback (no exception out of main), nothing written."""
    server.plan.append(fault)
    result = run_cli("--api-url", server.api_url, "--max-retries", "0", "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: ")
    assert TITLE in result.stderr and result.stdout == ""
    assert not (tmp_path / "out").exists()


def test_live_wikipedia_without_a_contact_is_one_line_asking_for_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Callable[..., CliResult]
) -> None:
    """No --contact, no FRX_EXTRACTOR_CONTACT, no --user-agent: a one-line error saying how to fix it."""
    monkeypatch.delenv(CONTACT_ENV, raising=False)
    result = run_cli("--out", str(tmp_path))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "--contact" in result.stderr and "--user-agent" in result.stderr
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--revision", "0"], "positive"),
        (["--max-retries", "-1"], "whole number"),
        (["--offline", "--record", "x"], "--record needs a live run"),
        (["--input", "x.wikitext", "--recording", "x"], "--recording is not allowed with --input"),
        (["--api-url", "https://example.org/wiki/Main_Page"], "api.php"),
        (["--recording", "no-such-dir"], "no recording here"),
    ],
)
def test_bad_fetch_options_are_one_line(
    arguments: list[str], message: str, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """Every misuse of the fetch options is one line on stderr and exit 2, and nothing is written."""
    result = run_cli(*arguments, "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()
