"""Hostile and unlucky input over a real socket: answers of the wrong shape, JSON nested 200,000
deep, a server that drips its body, a redirect to another host, FIFOs, huge files, bad URLs and
titles. Each is one line on stderr, exit 2, no traceback, and the previous dataset byte-identical."""

from __future__ import annotations

import copy
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.test_fetch_faults import ANSWER, TITLE, Behaviour, FaultServer, respond

if TYPE_CHECKING:
    from tests.support import CliResult

GOOD: dict[str, Any] = json.loads(ANSWER)


def shaped(change: Callable[[dict[str, Any]], None]) -> bytes:
    """The good answer with one part changed by ``change``."""
    data = copy.deepcopy(GOOD)
    change(data)
    return json.dumps(data).encode()


def page(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = data["query"]["pages"][0]
    return result


def revision(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = page(data)["revisions"][0]
    return result


WRONG_SHAPES = {
    "slots-a-list": lambda d: revision(d).update(slots=[1]),
    "slots-a-string": lambda d: revision(d).update(slots="main"),
    "main-a-list": lambda d: revision(d).update(slots={"main": ["x"]}),
    "redirects-not-a-list": lambda d: d["query"].update(redirects={"from": "A", "to": "B"}),
    "unhashable-from": lambda d: d["query"].update(redirects=[{"from": ["A"], "to": {"x": 1}}]),
    "sha1-a-number": lambda d: revision(d)["slots"]["main"].update(sha1=5),
    "title-a-number": lambda d: page(d).update(title=5),
    "revid-zero": lambda d: revision(d).update(revid=0),
    "revid-absurd": lambda d: revision(d).update(revid=10**20),
    "timestamp-not-a-date": lambda d: revision(d).update(timestamp="yesterday"),
    "timestamp-impossible": lambda d: revision(d).update(timestamp="2024-02-30T00:00:00Z"),
}


def drip(conn: socket.socket) -> None:
    """Promise a body, then send it one byte every 0.3 s (never a read timeout, never done)."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
    for byte in ANSWER[:200]:
        conn.sendall(bytes([byte]))
        time.sleep(0.3)


def redirect_to(location: str) -> Behaviour:
    def run(conn: socket.socket) -> None:
        conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode())

    return run


@pytest.fixture
def server() -> Iterator[FaultServer]:
    fault_server = FaultServer()
    yield fault_server
    fault_server.stop()


@pytest.fixture
def out(tmp_path: Path, run_cli: Callable[..., CliResult]) -> Path:
    """An output folder holding the stored snapshot's dataset (the one every failure must keep)."""
    folder = tmp_path / "out"
    assert run_cli("--offline", "--out", str(folder)).returncode == 0
    return folder


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(result: CliResult, *words: str) -> None:
    """Exit 2, one line on stderr starting 'error: ' and holding ``words``, nothing on stdout."""
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.mark.parametrize("change", list(WRONG_SHAPES.values()), ids=list(WRONG_SHAPES))
def test_an_answer_of_the_wrong_shape_is_one_line(
    server: FaultServer, out: Path, run_cli: Callable[..., CliResult], change: Callable[[dict[str, Any]], None]
) -> None:
    """Each wrong shape of the API's answer is refused, saying it is not MediaWiki's format."""
    before = files(out)
    server.plan.append(respond(200, shaped(change)))
    result = run_cli("--api-url", server.api_url, "--title", TITLE, "--max-retries", "0", "--out", str(out))
    refused(result, "not in MediaWiki's format", TITLE)
    assert files(out) == before


def test_json_nested_200000_deep_is_one_line(server: FaultServer, out: Path, run_cli: Callable[..., CliResult]) -> None:
    """JSON nested 200,000 deep (a RecursionError in json) is malformed JSON, not a traceback."""
    before = files(out)
    server.plan.append(respond(200, b"[" * 200_000 + b"]" * 200_000))
    result = run_cli("--api-url", server.api_url, "--title", TITLE, "--max-retries", "0", "--out", str(out))
    refused(result, "JSON")
    assert files(out) == before


def test_a_dripping_server_meets_the_deadline(
    server: FaultServer, out: Path, run_cli: Callable[..., CliResult]
) -> None:
    """A body dripped a byte at a time is cut at the overall deadline (retried like a timeout)."""
    before = files(out)
    server.plan.append(drip)
    started = time.monotonic()
    result = run_cli(
        "--api-url", server.api_url, "--title", TITLE, "--max-retries", "0", "--deadline", "1", "--out", str(out)
    )
    assert time.monotonic() - started < 10
    refused(result, "within 1 s")
    assert files(out) == before


def test_a_redirect_to_another_host_is_refused(
    server: FaultServer, out: Path, run_cli: Callable[..., CliResult]
) -> None:
    """A redirect from 127.0.0.1 to localhost is refused, naming the other host."""
    before = files(out)
    port = server.api_url.split(":")[2].split("/")[0]
    server.plan.extend([redirect_to(f"http://localhost:{port}/w/api.php"), respond()])
    result = run_cli("--api-url", server.api_url, "--title", TITLE, "--max-retries", "0", "--out", str(out))
    refused(result, "another host", f"localhost:{port}")
    assert files(out) == before


def test_content_with_nul_and_lone_surrogates_is_written(
    server: FaultServer, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """A lone surrogate escape and a NUL in a tag attribute are read as U+FFFD: the dataset is written."""
    text = '{| class="wikitable"\n! Country !! Since\n|-\n| {{flag|Ch\ud800ile}} || <span s="\x00">1992</span>\n|}\n'
    server.plan.append(respond(200, shaped(lambda d: revision(d)["slots"]["main"].update(content=text))))
    # Then the partner's page and Wikidata item (extractor.fetch.pageprops): the wiki knows none.
    server.plan.append(respond(200, json.dumps({"batchcomplete": True, "query": {"pages": []}}).encode()))
    result = run_cli("--api-url", server.api_url, "--title", TITLE, "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    relations = (tmp_path / "o" / "foreign-relations-of-kyrgyzstan" / "relations.csv").read_text(encoding="utf-8")
    assert "Ch\ufffdile" in relations


def test_a_bad_api_url_is_one_line(out: Path, run_cli: Callable[..., CliResult]) -> None:
    """An unreadable URL (an unclosed IPv6 bracket) is one line naming it and the option."""
    refused(run_cli("--api-url", "http://[::1/api.php", "--out", str(out)), "http://[::1/api.php", "--api-url")


def test_a_fifo_as_input_is_refused_at_once(tmp_path: Path, out: Path, run_cli: Callable[..., CliResult]) -> None:
    """--input naming a FIFO is refused without reading it (reading would block forever)."""
    fifo = tmp_path / "Foreign_relations_of_Kyrgyzstan.wikitext"
    os.mkfifo(fifo)
    before = files(out)
    refused(run_cli("--input", str(fifo), "--out", str(out)), "not a regular file")
    assert files(out) == before


def test_an_input_over_max_bytes_is_refused(tmp_path: Path, out: Path, run_cli: Callable[..., CliResult]) -> None:
    """An input file over --max-bytes is one line naming the file, the limit and the option."""
    big = tmp_path / "Foreign_relations_of_Kyrgyzstan.wikitext"
    big.write_text("x" * 2000, encoding="utf-8")
    before = files(out)
    refused(run_cli("--input", str(big), "--max-bytes", "1000", "--out", str(out)), "1000-byte limit", "--max-bytes")
    assert files(out) == before


def test_an_answer_over_max_bytes_is_refused(server: FaultServer, out: Path, run_cli: Callable[..., CliResult]) -> None:
    """A fetched answer over --max-bytes is refused in one line."""
    server.plan.append(respond())
    result = run_cli("--api-url", server.api_url, "--title", TITLE, "--max-bytes", "100", "--out", str(out))
    refused(result, "100-byte limit")


def test_a_title_with_a_newline_is_quoted_on_one_line(
    server: FaultServer, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """A title holding a line break gives a one-line error."""
    result = run_cli("--api-url", server.api_url, "--title", "A\nB", "--max-retries", "0", "--out", str(tmp_path))
    refused(result)


@pytest.mark.parametrize("title", ["A\nB", "Foreign relations of \udcff"], ids=["newline", "undecodable-byte"])
def test_an_unusable_title_is_one_line_quoted(
    tmp_path: Path, out: Path, run_cli: Callable[..., CliResult], title: str
) -> None:
    """A title holding a line break or a lone surrogate (an undecodable file-name byte) is refused, quoted."""
    source = tmp_path / "Foreign_relations_of_Chile.wikitext"
    source.write_text("{|\n! Country !! Since\n|-\n| {{flag|Chile}} || 1992\n|}\n", encoding="utf-8")
    before = files(out)
    refused(run_cli("--input", str(source), "--title", title, "--out", str(out)), repr(title), "--title")
    assert files(out) == before


def test_a_batch_fails_a_file_over_max_bytes(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    """In a folder batch a file over --max-bytes fails alone; the others are written."""
    folder = tmp_path / "in"
    folder.mkdir()
    small = "{|\n! Country !! Since\n|-\n| {{flag|Chile}} || 1992\n|}\n"
    (folder / "Foreign_relations_of_Small.wikitext").write_text(small, encoding="utf-8")
    (folder / "Foreign_relations_of_Big.wikitext").write_text(small + "x" * 5000, encoding="utf-8")
    result = run_cli("--input", str(folder), "--max-bytes", "1000", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "failed: Foreign relations of Big: " in result.stderr and "1000-byte limit" in result.stderr
    assert (tmp_path / "out" / "foreign-relations-of-small" / "relations.csv").is_file()


def drip_headers(conn: socket.socket) -> None:
    """Send the status line and headers one byte every 0.5 s (never a read timeout, never a body)."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: " + b"x" * 100:
        conn.sendall(bytes([byte]))
        time.sleep(0.5)


def test_a_server_dripping_its_headers_meets_the_deadline(
    server: FaultServer, out: Path, run_cli: Callable[..., CliResult]
) -> None:
    """Headers dripped a byte at a time are cut at the overall deadline: exit 2 in well under 10 s, one line."""
    before = files(out)
    server.plan.append(drip_headers)
    started = time.monotonic()
    result = run_cli(
        "--api-url", server.api_url, "--title", TITLE, "--max-retries", "0", "--deadline", "2", "--out", str(out)
    )
    assert time.monotonic() - started < 8
    refused(result, "no complete answer from 127.0.0.1:", "within 2 s")
    assert files(out) == before


def test_a_header_drip_is_retried_like_a_timeout(server: FaultServer) -> None:
    """The deadline cut is retried as a timeout is: a second attempt that answers is the answer."""
    from extractor.fetch.client import Fetcher
    from tests.test_fetch_faults import respond

    server.plan.extend([drip_headers, respond(200)])
    sleeps: list[float] = []
    fetcher = Fetcher(api_url=server.api_url, contact="t@example.org", deadline=1, max_retries=1, sleep=sleeps.append)
    started = time.monotonic()
    with fetcher:
        page = fetcher.fetch_wikitext(TITLE)
    assert time.monotonic() - started < 5 and len(sleeps) == 1
    assert page.source.title == TITLE and len(server.requests) == 2
