"""Start-up loads only what every command needs: a re-run whose results all come from the cache
never judges a repository nor caches an HTTP answer, so it must not pay for importing the checks
or requests-cache."""

import subprocess
import sys
import threading
import tomllib
from pathlib import Path

from gitrepos import make_repo

import auditor
from auditor import cli


def _loaded_after(statement: str) -> set[str]:
    probe = f"import sys; {statement}; print(' '.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_help_and_version_load_no_stage_of_the_auditor():
    """`auditor --help` answers at once: parsing arguments imports no models, HTTP, git or rich,
    only the faces of the packages whose defaults it shows."""
    loaded = _loaded_after("import auditor.cli")
    faces = {"auditor.acquire", "auditor.checks", "auditor.net", "auditor.report", "auditor.sources"}
    assert {m for m in loaded if m.startswith("auditor.")} == {"auditor.cli", *faces}
    assert not {"pydantic", "requests", "rich", "yaml"} & {m.split(".")[0] for m in loaded}


def test_help_and_version_read_no_package_metadata():
    """The version is written in the package, not looked up: importlib.metadata (and the email,
    zipfile and csv modules it brings) is two thirds of what `--help` would cost. It is the one
    pyproject.toml gives the package (and the release workflow its tag)."""
    loaded = _loaded_after("import auditor.cli")
    assert "importlib.metadata" not in loaded
    packaged = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]["version"]
    shown = subprocess.run([sys.executable, "-m", "auditor", "--version"], capture_output=True, text=True)
    assert shown.stdout.split() == ["auditor", packaged] and auditor.__version__ == packaged


def test_the_command_collects_cyclic_garbage_in_large_batches():
    """The process the `auditor` command runs in (`entry`) goes over its young objects every
    GC_YOUNG new ones, not every 700: a run makes little cyclic garbage and many objects."""
    probe = "import gc, auditor.cli as c; c.main = lambda: print(gc.get_threshold()[0]) or 0; c.entry()"
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert int(shown.stdout) == cli.GC_YOUNG > 10 * 700


def test_a_run_imports_no_check_module():
    loaded = _loaded_after("import auditor.cli.run")
    assert "auditor.cli.commands" in loaded and "auditor.pipeline" in loaded
    # the checklist, the registry and the scoring, not a single check nor the facts they draw on
    assert {m for m in loaded if m.startswith("auditor.checks.")} <= {
        "auditor.checks.checklist",
        "auditor.checks.base",
        "auditor.checks.evaluate",
    }
    assert {m for m in loaded if m.startswith("auditor.facts.")} <= {"auditor.facts.repository"}
    assert not {"markdown_it", "tomllib", "packaging.requirements"} & loaded
    assert "requests_cache" not in loaded  # a re-run of unchanged repositories caches nothing


def test_the_probe_sees_the_checks_when_they_are_loaded():
    loaded = _loaded_after("from auditor.checks.base import registry; registry()")
    assert {"auditor.checks.license", "auditor.checks.code", "markdown_it"} <= loaded


def test_a_check_without_network_checks_imports_no_http(tmp_path):
    """`auditor check --no-network-checks` makes no request, so it imports neither the HTTP stack
    nor the link prober nor the GitHub client: they are imported where a run first needs them."""
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "README.md").write_text("# A method\n\nWeights: https://huggingface.co/a/b\n")
    argv = ["check", str(tmp_path / "repo"), "--no-network-checks", "--quiet"]
    argv += ["--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache")]
    loaded = _loaded_after(f"from auditor.cli import main; main({argv!r})")
    assert "auditor.checks.license" in loaded  # the repository was judged
    assert (tmp_path / "out" / "report.json").is_file()
    assert not {"requests", "requests_cache", "urllib3", "tenacity"} & {m.split(".")[0] for m in loaded}
    assert not {"auditor.artifacts.checker", "auditor.artifacts.prober", "auditor.acquire.github"} & loaded
    # no requirement line, no setup.cfg: neither parser is imported
    assert not {"packaging", "configparser"} & {m.split(".")[0] for m in loaded}
    # --quiet draws nothing: no rich; and nothing of the other commands (runs, reports over reports)
    assert "rich" not in {m.split(".")[0] for m in loaded}
    others = {"auditor.cli.run", "auditor.cli.reports", "auditor.cli.progress", "auditor.render.terminal"}
    others |= {"auditor.pipeline", "auditor.report.journal", "auditor.acquire.resultcache"}
    assert not (others | {"auditor.report.diff", "auditor.report.merge", "auditor.report.publish"}) & loaded


def test_a_quiet_run_draws_nothing_and_imports_no_rich(tmp_path):
    """A scheduled run (`--quiet`) shows no progress: it pays for no terminal library, cold or warm."""
    make_repo(tmp_path / "mirror" / "lab" / "tool", {"README.md": "# Tool\n", "train.py": "print(1)\n"})
    argv = ["run", "--repo", "https://github.com/lab/tool", "--quiet", "--no-network-checks"]
    argv += ["--clone-url", f"file://{tmp_path}/mirror/{{owner}}/{{name}}"]
    argv += ["--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache")]
    for _cold_then_warm in range(2):
        loaded = _loaded_after(f"from auditor.cli import main; main({argv!r})")
        assert "auditor.cli.progress" in loaded and (tmp_path / "out" / "report.json").is_file()
        assert "rich" not in {m.split(".")[0] for m in loaded}


def test_listing_a_corpus_loads_no_paper_source(tmp_path):
    """A corpus file read without --hf-papers, --arxiv … needs no source module nor HTTP."""
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("SegTool\nCode: https://github.com/lab/segtool\n")
    loaded = _loaded_after(f"from auditor.cli import main; main(['links', '--corpus', {str(corpus)!r}])")
    assert "auditor.papers.corpus" in loaded  # the corpus was read
    assert not {m for m in loaded if m.startswith("auditor.sources.")}
    assert not {"requests", "urllib3"} & {m.split(".")[0] for m in loaded}


def test_the_command_exits_without_teardown_but_runs_exit_handlers_and_flushes():
    """`entry` leaves by `os._exit`: what an exit must do (exit handlers, buffered output) is done
    first."""
    probe = (
        "import atexit, sys, auditor.cli as cli\n"
        "atexit.register(lambda: print('handler ran'))\n"
        "sys.stdout.write('buffered')\n"
        "cli._leave(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (3, "bufferedhandler ran\n")


def test_a_worker_thread_still_running_makes_the_exit_the_ordinary_one_which_waits_for_it():
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert cli._workers_running()
    finally:
        release.set()
        worker.join()
