"""The layout is a promise: each stage imports only the stages before it, and the pure stages do
no I/O. Every import of the package is read (lazy ones inside functions too) and held against the
rules below, so a forbidden import fails here, not in review."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "auditor"

# What each part of the package may import of the package (beyond itself), each part named by its
# folder (`acquire.snapshot`: that module of the package alone). The command line (`cli`), one
# audit's wiring (`audit`) and the pipeline wire everything.
ALLOWED: dict[str, set[str]] = {
    "models": set(),
    "data": set(),
    "papers": {"models", "data"},
    "net": {"data"},
    "sources": {"models", "data", "net", "papers"},
    "acquire": {"models", "data", "net"},
    # facts and checks read the snapshot that acquisition hands on, and nothing else of it
    "facts": {"models", "data", "acquire.snapshot"},
    "artifacts": {"models", "data", "net", "facts", "papers"},
    "checks": {"models", "data", "facts", "acquire.snapshot"},
    "report": {"models", "data", "render"},
    # Renderers read the report and compute nothing: the numbers, outcomes and evidence links are
    # in it (auditor.report.stats fills them when the report is made).
    "render": {"models"},
}
WIRING = {"__init__", "__main__", "cli", "audit", "pipeline"}
# Modules whose import means I/O: the pure stages (facts, checks) read a repository only through
# the snapshot's reader, and never the network, a process or the file system.
IO_MODULES = {
    "requests",
    "requests_cache",
    "urllib3",
    "socket",
    "subprocess",
    "urllib.request",
    "http.client",
    "git",
    "shutil",
    "tempfile",
    "sqlite3",
}
PURE = {"facts", "checks"}


def _part(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            # A relative import would slip past the rules below: the package uses absolute ones.
            assert node.level == 0 and node.module, f"{path.name}:{node.lineno}: a relative import"
            found.append((node.lineno, node.module))
            # `from auditor import pipeline` names a module of the package
            if node.module == "auditor":
                found += [(node.lineno, f"auditor.{alias.name}") for alias in node.names]
    return found


def _targets(module: str) -> list[str]:
    """The part of the package `module` belongs to, then that part's module; none outside it."""
    parts = module.split(".")
    if parts[0] != "auditor" or len(parts) == 1:
        return []
    return [".".join(parts[1:n]) for n in range(2, min(len(parts), 3) + 1)]


def violations(path: Path, part: str) -> list[str]:
    allowed = ALLOWED.get(part)
    out = []
    for line, module in _imports(path):
        targets = _targets(module)
        where = f"{path.name}:{line} imports {module}"
        if targets and targets[0] != part and allowed is not None and not allowed & set(targets):
            out.append(f"{where}: {part} may import only {sorted(allowed) or 'nothing of the package'}")
        if part in PURE and any(module == m or module.startswith(m + ".") for m in IO_MODULES):
            out.append(f"{where}: {part} does no I/O")
    return out


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_what_its_stage_may(path: Path):
    assert violations(path, _part(path)) == []


def test_every_part_of_the_package_has_a_rule():
    """A new package or top-level module says where it stands."""
    parts = {_part(p) for p in MODULES} - WIRING
    assert parts <= set(ALLOWED), f"no layering rule for {sorted(parts - set(ALLOWED))}"


def test_a_forbidden_import_is_caught(tmp_path: Path):
    """The rules bite: a fact that imports a verdict, or opens a socket, is reported."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import socket\n\n\ndef f():\n    from auditor.checks.base import Finding\n"
        "    from auditor.acquire.github import GitHubClient\n    from auditor.acquire.snapshot import Snapshot\n"
    )
    only = "facts may import only ['acquire.snapshot', 'data', 'models']"
    assert violations(probe, "facts") == [
        "probe.py:1 imports socket: facts does no I/O",
        f"probe.py:5 imports auditor.checks.base: {only}",
        f"probe.py:6 imports auditor.acquire.github: {only}",
    ]
    assert [v for v in violations(probe, "acquire") if "socket" in v] == []  # where sockets belong
    probe.write_text("from ..checks.base import Finding\n")
    with pytest.raises(AssertionError, match="relative import"):
        violations(probe, "facts")
