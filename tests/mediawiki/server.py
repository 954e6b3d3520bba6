"""A real MediaWiki for integration tests, driven through ``scripts/mediawiki.sh``.

Usage (e.g. from a module- or session-scoped pytest fixture)::

    from tests.mediawiki.server import MediaWikiServer, ensure_installed

    ensure_installed()                        # apt-get install, a no-op when already there
    wiki = MediaWikiServer.start(tmp_dir)     # fresh wiki on a free port, templates loaded
    rev1 = wiki.edit("Foreign relations of Kyrgyzstan", "{{flag|Kazakhstan}} ...")
    wiki.api_url                              # http://127.0.0.1:PORT/w/api.php
    wiki.rest_url                             # http://127.0.0.1:PORT/w/rest.php
    wiki.requests()                           # what the client under test sent
    wiki.stop()

Only the standard library is used here, so that the helper works before the project's own
dependencies are importable. Requests made by this helper carry ``X-Test-Helper: 1`` and are left
out of :meth:`MediaWikiServer.requests` unless asked for.
"""

from __future__ import annotations

import fcntl
import http.cookiejar
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "mediawiki.sh"
MEDIAWIKI_DIR = Path("/usr/share/mediawiki")
HELPER_USER_AGENT = "frx-extractor-tests/0 (test helper; tests/mediawiki/server.py)"


class MediaWikiError(RuntimeError):
    """The wiki or the script failed; the message carries the API error or the script output."""


def is_installed() -> bool:
    """True when MediaWiki, PHP and Lua look installed (cheap: no subprocess)."""
    return (
        (MEDIAWIKI_DIR / "maintenance" / "install.php").is_file()
        and shutil.which("php") is not None
        and Path("/usr/bin/lua5.1").exists()
    )


def ensure_installed(timeout: float = 900) -> None:
    """Install MediaWiki and its PHP/Lua dependencies with apt when missing (``mediawiki.sh install``).

    Needs root (or sudo) on Debian 12. Takes about half a minute the first time, nothing after.
    """
    _run_script(["install"], timeout=timeout)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _run_script(args: list[str], timeout: float) -> str:
    proc = subprocess.run(
        ["bash", str(SCRIPT), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise MediaWikiError(f"mediawiki.sh {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}")
    return proc.stdout


class MediaWikiServer:
    """A running test wiki ("Test Wiki", MediaWiki 1.39, sqlite) served by ``php -S`` on loopback.

    All state lives in :attr:`workdir`. Extensions: Cite, ParserFunctions, Scribunto. The
    project's stand-in templates (tests/mediawiki/templates) are loaded, and every
    ``File:Flag of X.svg`` exists. Parser caches are off, so template edits show at once.
    """

    def __init__(self, workdir: Path, port: int) -> None:
        self.workdir = workdir
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.api_url = f"{self.base_url}/w/api.php"
        self.rest_url = f"{self.base_url}/w/rest.php"
        self.index_url = f"{self.base_url}/w/index.php"
        self._opener: urllib.request.OpenerDirector | None = None
        self._csrf_token: str | None = None

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def start(cls, workdir: str | os.PathLike[str], port: int | None = None) -> MediaWikiServer:
        """Create a fresh wiki under ``workdir`` and serve it on ``port`` (a free one if None).

        Calls ``scripts/mediawiki.sh start``, which installs the packages first when missing.
        Takes about 3 s when installed. Raises :class:`MediaWikiError` on failure.
        """
        path = Path(workdir).resolve()
        attempts = 1 if port is not None else 3
        last: MediaWikiError | None = None
        for _ in range(attempts):
            chosen = port if port is not None else free_port()
            try:
                _run_script(["start", str(path), str(chosen)], timeout=900)
            except MediaWikiError as exc:  # e.g. the free port was taken meanwhile
                last = exc
                continue
            return cls(path, chosen)
        assert last is not None
        raise last

    def stop(self) -> None:
        """Stop the server (the wiki's files stay in :attr:`workdir`)."""
        _run_script(["stop", str(self.workdir)], timeout=60)

    def is_running(self) -> bool:
        """True while the ``php -S`` process of this wiki is alive."""
        try:
            _run_script(["status", str(self.workdir)], timeout=30)
        except MediaWikiError:
            return False
        return True

    def __enter__(self) -> MediaWikiServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def load_templates(self) -> None:
        """Re-import tests/mediawiki/templates (after changing them), in one PHP process."""
        _run_script(["load-templates", str(self.workdir)], timeout=300)

    # ------------------------------------------------------------------ URLs
    def page_url(self, title: str) -> str:
        """The article URL, like ``https://en.wikipedia.org/wiki/Title``."""
        return f"{self.base_url}/wiki/{urllib.parse.quote(title.replace(' ', '_'), safe='/:(),')}"

    def permalink(self, revid: int, title: str) -> str:
        """The permanent link of a revision: ``/w/index.php?title=T&oldid=N``."""
        query = urllib.parse.urlencode({"title": title.replace(" ", "_"), "oldid": revid})
        return f"{self.index_url}?{query}"

    # ------------------------------------------------------------------ API access (helper's own)
    def api(self, params: Mapping[str, Any], *, post: bool = False) -> dict[str, Any]:
        """Call the Action API as the helper (logged in as the admin bot when already logged in).

        ``format=json&formatversion=2`` are added. Raises :class:`MediaWikiError` on an API error.
        """
        full = {"format": "json", "formatversion": "2", **{k: str(v) for k, v in params.items()}}
        data = urllib.parse.urlencode(full).encode()
        if post:
            request = urllib.request.Request(self.api_url, data=data, method="POST")
        else:
            request = urllib.request.Request(f"{self.api_url}?{data.decode()}")
        request.add_header("User-Agent", HELPER_USER_AGENT)
        request.add_header("X-Test-Helper", "1")
        opener = self._opener or urllib.request.build_opener()
        with opener.open(request, timeout=60) as response:
            body: dict[str, Any] = json.loads(response.read().decode("utf-8"))
        if "error" in body:
            raise MediaWikiError(f"API error for {params!r}: {body['error']}")
        return body

    def _login(self) -> None:
        """Log in with the bot password that ``mediawiki.sh start`` created (DIR/bot.json)."""
        creds = json.loads((self.workdir / "bot.json").read_text())
        jar = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        tokens = self.api({"action": "query", "meta": "tokens", "type": "login"})["query"]["tokens"]
        token = tokens["logintoken"]
        result = self.api(
            {
                "action": "login",
                "lgname": creds["bot_user"],
                "lgpassword": creds["bot_password"],
                "lgtoken": token,
            },
            post=True,
        )
        if result.get("login", {}).get("result") != "Success":
            raise MediaWikiError(f"login failed: {result}")
        tokens = self.api({"action": "query", "meta": "tokens", "type": "csrf"})
        self._csrf_token = tokens["query"]["tokens"]["csrftoken"]

    def _write(self, params: Mapping[str, Any]) -> dict[str, Any]:
        if self._csrf_token is None:
            self._login()
        assert self._csrf_token is not None
        return self.api({**params, "token": self._csrf_token}, post=True)

    def edit(self, title: str, text: str, summary: str = "") -> int:
        """Save ``text`` as a new revision of ``title`` and return its revision id.

        The id is read back from the API (``prop=info``, ``lastrevid``). Saving the same text
        again makes no new revision and returns the current one.
        """
        result = self._write({"action": "edit", "title": title, "text": text, "summary": summary, "bot": "1"})
        edit = result.get("edit", {})
        if edit.get("result") != "Success":
            raise MediaWikiError(f"edit of {title!r} failed: {result}")
        revid = self.latest_revid(title)
        if revid is None or ("newrevid" in edit and edit["newrevid"] != revid):
            raise MediaWikiError(f"edit of {title!r}: API says revision {edit}, page has {revid}")
        return revid

    def delete(self, title: str, reason: str = "") -> None:
        """Delete a page (all its revisions become deleted revisions)."""
        self._write({"action": "delete", "title": title, "reason": reason})

    def delete_revision(self, revision_id: int) -> None:
        """Delete one old revision outright, as ``maintenance/deleteRevisions.php`` did before MediaWiki 1.35.

        Debian's MediaWiki 1.39 no longer ships that script; its code lives on as
        ``NukePage::deleteRevisions`` (maintenance/nukePage.php), run here through
        ``maintenance/eval.php``. The revision is then absent from the API's answers, and the next
        revision's ``parentid`` still names it.
        """
        php = f"$nuke = new NukePage(); $nuke->deleteRevisions([{int(revision_id)}]); echo 'deleted-ok', PHP_EOL;\n"
        self._eval(php, "deleted-ok", f"deleting revision {revision_id}")

    def hide_revision(
        self, title: str, revision_id: int, *, text: bool = False, comment: bool = False, user: bool = False
    ) -> None:
        """Hide parts of an old revision of ``title`` the way an administrator does: RevisionDelete.

        Runs MediaWiki's own ``RevisionDeleter`` (as the sysop "Admin", through
        ``maintenance/eval.php``), which sets the revision's ``rev_deleted`` bits, hides its SHA-1
        with its text, and writes the "delete revision" log entry. The API's
        ``action=revisiondelete`` is not used because the helper's bot password lacks that right.
        The parts not named are shown again (the revision's visibility becomes exactly this);
        MediaWiki refuses to hide the text of a page's current revision.
        """
        bits = {"DELETED_TEXT": text, "DELETED_COMMENT": comment, "DELETED_USER": user}
        value = ", ".join(f"MediaWiki\\Revision\\RevisionRecord::{name} => 1" for name, on in bits.items() if on)
        # eval.php runs each line on its own, so the statements share one line.
        php = (
            "$context = RequestContext::getMain(); $context->setUser(User::newFromName('Admin')); "
            f"$list = RevisionDeleter::createList('revision', $context, Title::newFromText({json.dumps(title)}), "
            f"[{int(revision_id)}]); "
            f"$status = $list->setVisibility(['value' => [{value}], 'comment' => 'test', 'perItemStatus' => false]); "
            "echo $status->isGood() ? 'hidden-ok' : ('hidden-failed: ' . $status->getWikiText()), PHP_EOL;\n"
        )
        self._eval(php, "hidden-ok", f"hiding revision {revision_id}")

    def _eval(self, php: str, done: str, what: str) -> None:
        """Run PHP lines in the wiki (``maintenance/eval.php``); they print ``done`` when they worked."""
        proc = subprocess.run(
            ["bash", str(SCRIPT), "maint", str(self.workdir), "eval"],
            input=php,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if proc.returncode != 0 or done not in proc.stdout:
            raise MediaWikiError(f"{what} failed:\n{proc.stdout}{proc.stderr}")

    def set_page_prop(self, title: str, name: str, value: str) -> None:
        """Store a page property (``wikibase_item``…) of an existing page in the wiki's ``page_props`` table.

        MediaWiki then serves it through the real API (``prop=pageprops``). Written straight into
        the sqlite database because only extensions (Wikibase) set such properties; an edit of the
        page afterwards recomputes its properties and drops this one.
        """
        page = self.api({"action": "query", "prop": "info", "titles": title})["query"]["pages"][0]
        if page.get("missing") or page.get("invalid"):
            raise MediaWikiError(f"set_page_prop: no page {title!r}")
        with sqlite3.connect(self.workdir / "data" / "testwiki.sqlite") as db:
            db.execute("DELETE FROM page_props WHERE pp_page = ? AND pp_propname = ?", (page["pageid"], name))
            db.execute(
                "INSERT INTO page_props (pp_page, pp_propname, pp_value, pp_sortkey) VALUES (?, ?, ?, NULL)",
                (page["pageid"], name, value),
            )

    def latest_revid(self, title: str) -> int | None:
        """The page's current revision id, or None when the page does not exist."""
        page = self.api({"action": "query", "prop": "info", "titles": title})["query"]["pages"][0]
        if page.get("missing") or page.get("invalid"):
            return None
        return int(page["lastrevid"])

    # ------------------------------------------------------------------ request log
    def requests(self, include_helper: bool = False) -> list[dict[str, Any]]:
        """The HTTP requests the server received since start or :meth:`clear_requests`, oldest first.

        Each is a dict: ``time``, ``method``, ``uri``, ``path``, ``query`` (raw query string),
        ``params`` (query string and form body parsed: name -> list of values), ``user_agent``,
        ``headers``, ``body`` (form POST body or None), ``helper``, and ``injected`` (status)
        when an injected fault answered it. The helper's own requests are left out by default.
        """
        path = self.workdir / "requests.log"
        if not path.exists():
            return []
        entries: list[dict[str, Any]] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entry: dict[str, Any] = json.loads(line)
            except json.JSONDecodeError:  # a line being written right now
                continue
            if entry.get("helper") and not include_helper:
                continue
            params = urllib.parse.parse_qs(entry.get("query") or "", keep_blank_values=True)
            if entry.get("body") and "application/x-www-form-urlencoded" in _header(entry, "content-type"):
                for key, values in urllib.parse.parse_qs(entry["body"], keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            entry["params"] = params
            entries.append(entry)
        return entries

    def clear_requests(self) -> None:
        """Forget the requests logged so far."""
        (self.workdir / "requests.log").write_text("")

    # ------------------------------------------------------------------ settings
    def set_rights(self, text: str | None, url: str = "") -> None:
        """Make the wiki state this licence (``$wgRightsText``/``$wgRightsUrl``); ``None``: none, the default.

        Read on every request (``DIR/rights.json``), so it applies at once, also to a running server.
        """
        rights_file = self.workdir / "rights.json"
        if text is None:
            rights_file.unlink(missing_ok=True)
        else:
            rights_file.write_text(json.dumps({"text": text, "url": url}) + "\n", encoding="utf-8")

    # ------------------------------------------------------------------ fault injection
    def set_lag(self, seconds: float | None) -> None:
        """Make the API report this replication lag (None: back to 0).

        With a lag of 10, a request with ``maxlag=5`` fails with code ``maxlag`` and
        ``Retry-After: 5`` until the lag is lowered. ``maxlag=-1`` always fails.
        """
        lag_file = self.workdir / "lag"
        if seconds is None:
            lag_file.unlink(missing_ok=True)
        else:
            lag_file.write_text(f"{seconds}\n")

    def inject(
        self,
        status: int,
        *,
        headers: Mapping[str, str] | None = None,
        body: str = "",
        path: str = "/w/",
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests whose path starts with ``path`` with a canned response.

        For what MediaWiki itself never sends here: ``inject(429, headers={"Retry-After": "2"})``,
        ``inject(503)``. Rules are used in the order added; the helper's own requests are exempt.
        """
        rule = {"status": status, "headers": dict(headers or {}), "body": body, "path": path, "times": times}
        self._update_rules(lambda rules: [*rules, rule])

    def clear_injections(self) -> None:
        """Drop the injected responses not used yet."""
        self._update_rules(lambda rules: [])

    def pending_injections(self) -> list[dict[str, Any]]:
        """The injected responses not used yet."""
        return self._update_rules(lambda rules: rules)

    def _update_rules(self, change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]) -> list[dict[str, Any]]:
        # Same file, same lock as tests/mediawiki/router.php.
        with open(self.workdir / "inject.json", "a+", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            fh.seek(0)
            text = fh.read()
            rules: list[dict[str, Any]] = json.loads(text) if text.strip() else []
            new = change(rules)
            if new is not rules:
                fh.seek(0)
                fh.truncate()
                fh.write(json.dumps(new))
                fh.flush()
            return new

    # ------------------------------------------------------------------ misc
    def wait_until_up(self, timeout: float = 30) -> None:
        """Block until the API answers (start already does this)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.api({"action": "query", "meta": "siteinfo"})
                return
            except (OSError, urllib.error.URLError, MediaWikiError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def __repr__(self) -> str:
        return f"MediaWikiServer({str(self.workdir)!r}, port={self.port})"


def _header(entry: Mapping[str, Any], name: str) -> str:
    for key, value in (entry.get("headers") or {}).items():
        if key.lower() == name:
            return str(value)
    return ""
