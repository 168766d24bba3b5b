"""The CI files parse, have the structure the publication rules need, and their commands run.

GitHub Actions and GitLab CI cannot run here, so the test does what their runners would do with the
project-local steps: the `run:`/`script:` commands, in the file's order, in a copy of the project,
with GITHUB_ENV/GITHUB_OUTPUT handled as the runner does. Steps that install system packages or run
the test suite itself (this test is part of it) are left out; actions (`uses:`) are emulated only
where a later step reads their output.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from minisite import write_site

from generator.gates.localserver import serve
from generator.gates.treehash import main as treehash_main

REPO = Path(__file__).resolve().parents[2]
PR = REPO / ".github/workflows/pr.yml"
PUBLISH = REPO / ".github/workflows/publish.yml"
GITLAB = REPO / ".gitlab-ci.yml"
SKIPPED = ("apt-get", "npm ci", "./dev test", "./dev nox --list")
STAGES = ("gongkai validate", "./dev test", "gongkai build", "python -m generator.gates site")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def position(items: list[str], needle: str) -> int:
    return next(i for i, text in enumerate(items) if needle in text)


def step_texts(workflow: dict, job: str) -> list[str]:
    return [s.get("run") or s.get("uses", "") for s in steps(workflow, job)]


# --- structure -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [PR, PUBLISH])
def test_steps_run_validate_tests_build_gates_in_order(path: Path) -> None:
    workflow = load(path)
    job = "check" if path == PR else "build"
    texts = step_texts(workflow, job)
    order = [position(texts, needle) for needle in STAGES]
    assert order == sorted(order), texts
    assert "--format github" in texts[order[0]]  # problems become annotations on the changed lines
    assert texts[0].startswith("actions/checkout@v")
    for text in texts:
        assert not re.search(r"@(main|master)$", text), "actions are pinned to a major version"


def test_pull_request_workflow() -> None:
    workflow = load(PR)
    assert set(workflow["on"]) == {"pull_request"}
    assert workflow["permissions"] == {"contents": "read"}
    texts = step_texts(workflow, "check")
    assert texts[-1].startswith("actions/upload-artifact@v")
    assert steps(workflow, "check")[-1]["with"]["path"] == "site/"


def test_publish_workflow_is_atomic_scheduled_and_never_races() -> None:
    workflow = load(PUBLISH)
    assert set(workflow["on"]) == {"push", "schedule", "workflow_dispatch"}
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["on"]["schedule"] == [{"cron": "5 16 * * *"}]  # 00:05 in Beijing (UTC+8)
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    texts = step_texts(workflow, "build")
    gates = position(texts, "python -m generator.gates site")
    upload = position(texts, "actions/upload-pages-artifact@v")
    assert gates < position(texts, "generator.gates.treehash") < position(texts, "curl") < upload
    assert position(texts, "actions/configure-pages@v") < upload
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert "needs.build.result == 'success'" in deploy["if"] and "changed == 'true'" in deploy["if"]
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    assert deploy["environment"]["name"] == "github-pages"
    assert "TZ=Asia/Shanghai" in " ".join(texts)


def test_gitlab_pipeline_is_equivalent() -> None:
    pipeline = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert pipeline["stages"] == ["validate", "test", "build", "deploy"]
    sources = " ".join(r["if"] for r in pipeline["workflow"]["rules"])
    for needed in ("merge_request_event", "schedule", "$CI_DEFAULT_BRANCH"):
        assert needed in sources
    commands = gitlab_commands(pipeline)
    order = [position(commands, needle.replace(" site", " public")) for needle in STAGES]
    assert order == sorted(order), commands
    pages = pipeline["pages"]
    assert pages["stage"] == "deploy" and pages["needs"] == ["build"]
    assert pages["artifacts"]["paths"] == ["public/"] and pages["resource_group"] == "pages"
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pages["allow_failure"] == {"exit_codes": [3]}


def gitlab_commands(pipeline: dict) -> list[str]:
    before = pipeline["default"]["before_script"]
    jobs = [name for name in pipeline if isinstance(pipeline[name], dict) and "stage" in pipeline[name]]
    jobs.sort(key=lambda name: pipeline["stages"].index(pipeline[name]["stage"]))
    return before + [line for name in jobs for line in pipeline[name]["script"]]


# --- running the commands -------------------------------------------------------------------


def project_copy(tmp_path: Path) -> Path:
    """The project as a runner's checkout sees it, sharing this machine's .venv and node_modules."""
    copy = tmp_path / "checkout"
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "site", "public", ".nox", "*cache*", "__pycache__"
    )
    shutil.copytree(REPO, copy, ignore=ignore)
    for shared in (".venv", "node_modules"):
        if (REPO / shared).exists():
            (copy / shared).symlink_to(REPO / shared)
    return copy


class Runner:
    """Runs `run:` steps the way the Actions runner does: bash -e, GITHUB_ENV and GITHUB_OUTPUT files."""

    def __init__(self, cwd: Path, expressions: dict[str, str]) -> None:
        self.cwd = cwd
        self.expressions = expressions
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_"))}
        self.env_file, self.outputs = cwd / ".runner-env", cwd / ".runner-output"

    def expand(self, text: str) -> str:
        return re.sub(r"\$\{\{\s*(.+?)\s*\}\}", lambda m: self.expressions[m.group(1)], text)

    def run(self, step: dict) -> dict[str, str]:
        self.env_file.write_text("", encoding="utf-8")
        self.outputs.write_text("", encoding="utf-8")
        env = {**self.env, "GITHUB_ENV": str(self.env_file), "GITHUB_OUTPUT": str(self.outputs)}
        env |= {k: self.expand(str(v)) for k, v in step.get("env", {}).items()}
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=self.cwd, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, (
            f"step {step.get('name')!r} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        )
        self.env |= _key_values(self.env_file)
        return _key_values(self.outputs)


def _key_values(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line)


def test_publish_skips_an_unchanged_scheduled_build(tmp_path: Path) -> None:
    """The compare step of publish.yml against a 'deployed' site served locally."""
    site = write_site(tmp_path)
    assert treehash_main([str(site), "--write"]) == 0
    compare = next(s for s in steps(load(PUBLISH), "build") if s.get("id") == "compare")
    with serve(site) as online:
        for event, online_url, changed in [
            ("schedule", online.rstrip("/"), "false"),  # same site online: nothing to publish
            ("push", online.rstrip("/"), "true"),  # a merge always publishes
            ("schedule", online.rstrip("/") + "/elsewhere", "true"),  # unknown online state: publish
        ]:
            runner = Runner(
                tmp_path, {"github.event_name": event, "steps.pages.outputs.base_url": online_url}
            )
            assert runner.run(compare) == {"changed": changed}


def test_gitlab_pages_job_exits_3_for_an_unchanged_scheduled_build(tmp_path: Path) -> None:
    site = write_site(tmp_path)
    shutil.move(site, tmp_path / "public")
    assert treehash_main([str(tmp_path / "public"), "--write"]) == 0
    script = "\n".join(yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["pages"]["script"])
    with serve(tmp_path / "public") as online:
        for source, expected in [("schedule", 3), ("push", 0)]:
            env = {**os.environ, "CI_PIPELINE_SOURCE": source, "CI_PAGES_URL": online.rstrip("/")}
            done = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True)
            assert done.returncode == expected


@pytest.mark.slow
@pytest.mark.browser
def test_pull_request_commands_run_on_the_sample_project(tmp_path: Path) -> None:
    """validate → build → gates of pr.yml, as written, in a copy of the project (all gates)."""
    if not (REPO / "site_config.yml").is_file() or not (REPO / "generator/site/build.py").is_file():
        pytest.skip("the sample project or the site build is not there yet")
    if not (REPO / "node_modules").is_dir():
        pytest.skip("node_modules missing: run `npm ci --ignore-scripts` (./dev test does)")
    checkout = project_copy(tmp_path)
    runner = Runner(checkout, {})
    ran = []
    for step in steps(load(PR), "check"):
        if "run" in step and not any(skip in step["run"] for skip in SKIPPED):
            runner.run(step)
            ran.append(step["run"].split("\n")[0])
    assert [r.split()[0] for r in ran] == [
        "echo",
        ".venv/bin/gongkai",
        ".venv/bin/gongkai",
        ".venv/bin/python",
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", runner.env["AS_OF"])
    assert (checkout / "site/index.html").is_file()  # what upload-artifact takes
