"""Developer sessions.  Run through ./dev (which prepares .venv): ./dev nox -s NAME

All sessions run in the project's .venv (venv_backend none): the pinned dependencies are installed
once by ./dev, not again per session.
"""

import nox

nox.options.default_venv_backend = "none"
nox.options.sessions = ["tests"]


@nox.session(venv_backend="none")
def lint(session: nox.Session) -> None:
    """ruff over the code and tests."""
    session.run("python", "-m", "ruff", "check", "generator", "tests", "bench", "noxfile.py")


@nox.session(venv_backend="none")
def tests(session: nox.Session) -> None:
    """The whole suite: lint, unit, golden, browser tests (what .ci/run and the README call the tests)."""
    lint(session)
    session.run("python", "-m", "pytest", "-q", *session.posargs)


@nox.session(venv_backend="none")
def build(session: nox.Session) -> None:
    """Build the sample site into site/."""
    session.run("python", "-m", "generator", "build", "--out", "site", *session.posargs)


@nox.session(venv_backend="none")
def serve(session: nox.Session) -> None:
    """Local preview on http://127.0.0.1:8000/ with rebuild on change."""
    session.run("python", "-m", "generator", "serve", *session.posargs)


@nox.session(venv_backend="none")
def gates(session: nox.Session) -> None:
    """Build the sample site, then every quality gate on it (what CI runs before publishing): internal links,
    nothing from another host, privacy scan, HTML validity (vnu), accessibility (axe-core), determinism.
    ./dev nox -s gates [-- YYYY-MM-DD]"""
    import datetime as dt
    from zoneinfo import ZoneInfo

    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    as_of = session.posargs[0] if session.posargs else today
    session.run("python", "-m", "generator", "build", "--out", "site", "--as-of", as_of)
    session.run("python", "-m", "generator.gates", "site", "--as-of", as_of)


@nox.session(name="update-golden", venv_backend="none")
def update_golden(session: nox.Session) -> None:
    """Regenerate the golden sample-site pages in tests/golden/ (review the diff before committing)."""
    session.run("python", "-m", "tests.site.regen_golden", *session.posargs)


@nox.session(venv_backend="none")
def bench(session: nox.Session) -> None:
    """Build-speed, size and search benchmarks against the mkdocs-material anchor (see BENCHMARKS.md)."""
    session.run("python", "bench/run.py", *session.posargs)
