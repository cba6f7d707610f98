"""Which documents a repository offers a reader: its README first, then the docs the README links.

Also resolves a link or path written in a README to a path of the tree, so that claims can be
checked against the files that are really there.
"""

from __future__ import annotations

import posixpath
import re
from functools import cache
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from auditor.acquire.snapshot import name_matcher
from auditor.data import data_table, file_families
from auditor.facts.markdown import CodeBlock, Document, parse
from auditor.facts.repository import Facts, fact
from auditor.facts.restructured import rst_as_markdown
from auditor.facts.vendored import project_files
from auditor.models import EntryKind

# How many further documents are parsed beyond the README and the documents it links.
MAX_OTHER_DOCS = 40
# Links are followed this many hops from the README, up to this many documents.
LINK_HOPS = 2
MAX_LINKED_DOCS = 25

_GITHUB = re.compile(
    r"^https?://(?:www\.)?github\.com/(?P<owner>[^/]+)/(?P<name>[^/#?]+)/(?:blob|tree|raw)/[^/]+/(?P<path>[^#?]*)"
)
_RAW = re.compile(
    r"^https?://raw\.githubusercontent\.com/(?P<owner>[^/]+)/(?P<name>[^/]+)/[^/]+/(?P<path>[^#?]*)"
)
# A notebook of a GitHub repository opened in Colab or nbviewer ("Open in Colab" badges).
_NOTEBOOK = re.compile(
    r"^https?://(?:colab\.research\.google\.com|nbviewer\.(?:jupyter\.)?org)/github/"
    r"(?P<owner>[^/]+)/(?P<name>[^/#?]+)/blob/[^/]+/(?P<path>[^#?]*)"
)


class Resolved(NamedTuple):
    """Where a README link or path leads inside the repository."""

    path: str
    exists: bool
    is_dir: bool


@fact
def directories(facts: Facts) -> frozenset[str]:
    dirs = {""}
    for parent in {p.rpartition("/")[0] for p in facts.entries}:  # a tree has few folders
        while parent not in dirs:
            dirs.add(parent)
            parent = parent.rpartition("/")[0]
    return frozenset(dirs)


def base_dir(facts: Facts) -> str:
    """The folder the paper linked to (a subfolder link), or the repository root."""
    sub = (facts.repo.subpath or "").strip("/")
    return sub if sub and sub in directories(facts) else ""


# Where GitHub finds the README it shows on a repository's page, in its order: the `.github`
# folder, the root, then `docs`.
README_FOLDERS = (".github", "", "docs")


@fact
def root_readme(facts: Facts) -> str | None:
    """The README a visitor is shown: the one of the folder the paper linked or, for the whole
    repository, the first of `.github/`, the root and `docs/` that holds one, as GitHub chooses.
    A README that is a symbolic link is the README too, read as the file it leads to (see
    `Snapshot.text`); one that leads out of the tree is unread: what it says is unknown."""
    base = base_dir(facts)
    is_readme = name_matcher(tuple(file_families()["readme_files"]))
    dirs = directories(facts)
    for folder in README_FOLDERS if not base else (base,):
        if folder and folder not in dirs:
            continue  # most repositories have no `docs/`: their files are not gone over for it
        pool = facts.root_files if not folder else [p for p in facts.files if p.rpartition("/")[0] == folder]
        candidates = [p for p in pool if is_readme(p.rpartition("/")[2])]
        if not candidates:
            links = (p for p, e in facts.entries.items() if e.kind is EntryKind.SYMLINK)
            candidates = [
                p for p in links if is_readme(p.rpartition("/")[2]) and p.rpartition("/")[0] == folder
            ]
        candidates.sort(key=lambda p: (not p.lower().endswith((".md", ".markdown")), len(p), p))
        if candidates:
            return candidates[0]
    return None


def document(facts: Facts, path: str) -> Document | None:
    """The document at `path`, parsed once per repository (`DOCUMENT` keys it in the memo)."""
    return facts.memo(DOCUMENT + path, lambda: _document(facts, path))


# The memo key of a parsed document, before its path: a repository judged again once more of its
# files are fetched keeps the documents it parsed (their text cannot change, only appear).
DOCUMENT = "document:"


def _document(facts: Facts, path: str) -> Document | None:
    text = facts.text(path)
    if text is None:
        return None
    return parse(path, rst_as_markdown(text.text) if path.lower().endswith(".rst") else text.text)


@fact
def root_document(facts: Facts) -> Document | None:
    path = root_readme(facts)
    return document(facts, path) if path else None


def readme_unread(facts: Facts) -> str | None:
    """The root README's path when the tree lists it but it could not be read (too large, a failed
    read, not text): what it says is not known, which is not the same as saying nothing."""
    path = root_readme(facts)
    return path if path is not None and root_document(facts) is None else None


def repo_name(facts: Facts) -> tuple[str, str] | None:
    """The repository's owner and name, lower-cased, from its address on a code host. A folder
    checked on disk (`auditor check PATH`, its address the folder's path) has a name, its
    folder's, and no owner known: the first two folders of its path are not its owner and name."""
    url = facts.repo.url
    parts = urlsplit(url)
    if not parts.scheme or parts.scheme == "file" or not parts.netloc:
        name = re.split(r"[/\\]", url.rstrip("/\\"))[-1].lower().removesuffix(".git")
        return ("", name) if name else None
    path = [p for p in parts.path.split("/") if p]
    if len(path) >= 2:
        return path[0].lower(), path[1].lower().removesuffix(".git")
    return None


def resolve(facts: Facts, from_doc: str, ref: str) -> Resolved | None:
    """The repository path a link or path in document `from_doc` points to; None if it leads out."""
    # `.\pic\fig.png`, written on Windows (a Markdown link's URL has it as `.%5Cpic%5Cfig.png`)
    ref = re.sub(r"\\|%5[cC]", "/", ref.strip().strip("<>"))
    if not ref or ref.startswith(("#", "mailto:", "data:")) or re.fullmatch(r"[^/\s]+@[^/\s]+\.\w+", ref):
        return None
    match = _GITHUB.match(ref) or _RAW.match(ref) or _NOTEBOOK.match(ref)
    if match:
        path = unquote(match["path"]).strip("/")
        owner, name = match["owner"].lower(), match["name"].lower().removesuffix(".git")
        mine = repo_name(facts)
        if (owner, name) != mine:
            # the repository under another owner (transferred, or the link of its upstream):
            # the same file of this tree, when it is there; nothing to say otherwise
            same = (
                mine is not None and name == mine[1] and (path in facts.entries or path in directories(facts))
            )
            if not same:
                return None
    elif re.match(r"^[a-z][a-z0-9+.-]*:", ref, re.IGNORECASE) or ref.startswith("//") or "://" in ref:
        return None
    elif re.match(
        r"^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|io|edu|ai|gov|cn|de|uk|co)(/|$)", ref, re.I
    ):
        return None  # a web address written without its scheme
    else:
        raw = unquote(ref.split("#", 1)[0].split("?", 1)[0])
        if not raw:
            return None
        start = "" if raw.startswith("/") else posixpath.dirname(from_doc)
        path = posixpath.normpath(posixpath.join(start, raw.lstrip("/")))
        if path.startswith(".."):
            return None
        path = "" if path == "." else path
    path = path.rstrip("/")
    entry = facts.entries.get(path)
    if entry is not None:
        return Resolved(path, True, False)
    if path in directories(facts):
        return Resolved(path, True, True)
    return Resolved(path, False, False)


def _linked_paths(facts: Facts, doc: Document) -> list[str]:
    """Documents of the repository that `doc` links to (a folder link means its README)."""
    exts = tuple(file_families()["doc_extensions"])
    is_readme = name_matcher(tuple(file_families()["readme_files"]))
    out = []
    listed = [written for _, rows in _path_blocks(doc) for _, written in rows]  # documents it lists
    for url in [link.url for link in doc.links if not link.image] + listed:
        target = resolve(facts, doc.path, url)
        if target is None or not target.exists:
            continue
        path = target.path
        if target.is_dir:
            inside = sorted(
                (p for p in facts.files if posixpath.dirname(p) == path and is_readme(p.rpartition("/")[2])),
                key=lambda p: (not p.lower().endswith(".md"), p),
            )
            if not inside:
                continue
            path = inside[0]
        elif not path.lower().endswith(exts):
            continue
        if facts.entries[path].kind is EntryKind.FILE:
            out.append(path)
    return out


# A sentence that sends the reader to a folder ("Check the installation folder for instructions"),
# not one that says where a file is ("generated under the mmsegmentation folder").
_THE_FOLDER = re.compile(
    r"\b(?:check|see|refer to|look (?:at|in|into)|read|consult|go to|visit)(?: out)? "
    r"the [*`'\"]*([\w.-]+)[*`'\"]* (?:folder|directory)\b",
    re.I,
)


def _named_folder_readmes(facts: Facts, root: Document) -> list[str]:
    """Monorepos: "each folder has its own README". READMEs of first-level project folders that
    the root README names as folders (`encoder-decoder/` in inline code, a line that is nothing
    but a folder written as one, `keras/`, in a list of implementations, or "the installation
    folder" in a sentence) are where their install steps and commands are. A word that happens to
    be a folder's name (a product called like its folder, "model") is not a pointer to that folder."""
    is_readme = name_matcher(tuple(file_families()["folder_readme_files"]))
    named = {code.text.strip().strip("`").removeprefix("./").rstrip("/").lower() for code in root.inline_code}
    named |= {
        t.text.removeprefix("./").rstrip("/").lower()
        for t in root.texts
        if t.text.endswith("/") and " " not in t.text
    }
    # "Check the installation folder for more instructions"
    named |= {m.group(1).lower() for t in root.texts for m in _THE_FOLDER.finditer(t.text)}
    # "see the folder-level README": every first-level folder's
    every = any(_EACH_FOLDER.search(t.text) for t in root.texts)
    base = base_dir(facts)
    out = []
    for path in project_files(facts):
        folder, _, name = path.rpartition("/")
        parent, _, leaf = folder.rpartition("/")
        if parent != base or not leaf:
            continue
        if is_readme(name) and (every or leaf.lower() in named):
            out.append(path)
    return out


# A sentence that says each folder has its own README ("see the folder-level README", "each
# folder contains a README with instructions").
_EACH_FOLDER = re.compile(
    r"\b(?:sub-?)?(?:folder|directory)[- ]level readmes?\b|\breadmes? (?:file )?(?:in|of|inside) "
    r"(?:each|every|the respective|the corresponding|its) (?:sub-?)?(?:folder|directory)\b|"
    r"\b(?:each|every) (?:sub-?)?(?:folder|directory) (?:has|contains|includes|comes with) "
    r"(?:its own |a |an )?readme",
    re.I,
)


@fact
def linked_documents(facts: Facts) -> list[Document]:
    """The README, the documents it links to, and the documents those link to (two hops)."""
    root = root_document(facts)
    if root is None:
        return []
    docs = [root]
    seen = {root.path}
    frontier = [root]
    for hop in range(LINK_HOPS):
        found: list[Document] = []
        extra = _named_folder_readmes(facts, root) if hop == 0 else []
        for path in [p for d in frontier for p in _linked_paths(facts, d)] + extra:
            if path in seen or len(docs) + len(found) >= MAX_LINKED_DOCS:
                continue  # the cap holds within a hop too: a list linking 1,400 pages reads 25
            seen.add(path)
            doc = document(facts, path)
            if doc is not None:
                found.append(doc)
        docs += found
        frontier = found
    return docs


@fact
def all_documents(facts: Facts) -> list[Document]:
    """The linked documents, then the other READMEs and docs of the project (not vendored)."""
    docs = list(linked_documents(facts))
    seen = {d.path for d in docs}
    is_readme = name_matcher(tuple(file_families()["readme_files"]))
    others = [
        p
        for p in project_files(facts)
        if p not in seen
        and p.lower().endswith((".md", ".markdown", ".rst"))
        and (is_readme(p.rpartition("/")[2]) or p.lower().startswith("docs/"))
    ]
    others.sort(key=lambda p: (p.count("/"), p))
    for path in others[:MAX_OTHER_DOCS]:
        doc = document(facts, path)
        if doc is not None:
            docs.append(doc)
    return docs


class Mention(NamedTuple):
    """A repository path a document names in inline code or in its prose."""

    line: int
    sections: tuple[str, ...]
    written: str
    target: Resolved
    inline: bool  # in inline code or a tree diagram (a path the README shows); else a word of prose
    # found by its name alone elsewhere in the tree: the file is there, but the README does not
    # say where, nor that a reader starts from it
    by_name: bool = False
    # not there, but the tree holds a file of nearly that name (`IXI_preproccing.py` for
    # `IXI_preprocessing.py`, `run_train.sh` for `run_train.bash`): the README mistypes it
    twin: str | None = None


# "in the Encoder folder", "under the `scripts` directory": the folder a sentence's file is in
_IN_FOLDER = re.compile(
    r"\b(?:in|under|inside|within|from) (?:the )?[*`'\"]*([\w.-]+)[*`'\"]* (?:folder|directory|dir)\b", re.I
)
_FOLDER_WORD = re.compile(r"(folder|directory)\b", re.I)
_PUNCTUATION = "`,;:()[]{}<>!?*\"'"  # around a word of prose ("(see tools/x.py).")
_PROSE_PATH = re.compile(r"(?<![\w/.:-])(?:\./)?[\w.-]+(?:/[\w.-]+)*(?:/|\.[A-Za-z]\w{0,7})(?![\w/])")


def mentioned_paths(facts: Facts, doc: Document) -> list[Mention]:
    """Paths of the repository a document names without linking them (see `_mentions`); worked
    out once per document."""
    return facts.memo(f"mentioned_paths:{doc.path}", lambda: _mentions(facts, doc))


# A code block that is a list of paths and nothing else, as many as this at the most.
MAX_LISTED_PATHS = 20


def _path_blocks(doc: Document) -> list[tuple[CodeBlock, list[tuple[int, str]]]]:
    """Code blocks made of paths and nothing else ("Instructions are in the following files:"
    over a block of `wikitext103/README.md`, `deit/README.md`), each with its paths and their
    lines."""
    out = []
    for block in doc.code_blocks:
        rows = [(block.line + 1 + n, r.strip()) for n, r in enumerate(block.text.splitlines()) if r.strip()]
        if (
            rows
            and len(rows) <= MAX_LISTED_PATHS
            and all("/" in r and _PROSE_PATH.fullmatch(r) for _, r in rows)
        ):
            out.append((block, rows))
    return out


def _mentions(facts: Facts, doc: Document) -> list[Mention]:
    """Paths of the repository a document names without linking them: inline code that reads as a
    path (`static/images/`, `Example.m`, or a word the text calls a folder), and words of prose
    that are files or folders of the tree ("running Example.m gives Fig. 1", 'TextureToolbox').
    Prose words are kept only when they exist: a sentence names other projects' files as often as
    this one's."""
    out: list[Mention] = []
    texts = {t.line: t.text for t in doc.texts}
    # A list item naming a folder (`data/`) holds the paths of the items nested under it.
    nest: list[tuple[int, str]] = []
    for code in doc.inline_code:
        if code.linked:
            continue  # a link's own text: what it names is where the link goes, checked as a link
        word = code.text.strip()
        raw = doc.lines[code.line - 1] if 0 < code.line <= len(doc.lines) else ""
        item = re.match(r"^(\s*)[-*+]\s", raw)
        indent = len(item.group(1)) if item else -1
        while nest and nest[-1][0] >= indent:
            nest.pop()
        line = texts.get(code.line, "")
        folder = _FOLDER_WORD.search(line) and re.search(  # a pattern per word: only where it can match
            rf"{re.escape(word)}`?\W{{0,3}}(folder|directory)\b", line, re.I
        )
        pathlike = re.fullmatch(r"[\w./-]+", word) is not None and "/" in word.strip("./")
        if (
            " " in word
            or not (_PROSE_PATH.fullmatch(word) or pathlike or (folder and re.fullmatch(r"[\w.-]+", word)))
            or _python_module(facts, word)
        ):
            continue
        target = resolve(facts, doc.path, word)
        if nest and (target is None or not target.exists):
            inside = resolve(facts, doc.path, f"{nest[-1][1]}/{word.lstrip('./')}")
            target = inside if inside is not None and inside.exists else target
        if (target is None or not target.exists) and (titled := _section_folder(facts, code.sections)):
            inside = resolve(facts, doc.path, f"{titled}/{word.lstrip('./')}")
            target = inside if inside is not None and inside.exists else target
        target, by_name, twin = _found_elsewhere(facts, word, target)
        if target is not None and target.path:
            written = word if not folder or word.endswith("/") else word + "/"
            out.append(Mention(code.line, code.sections, written, target, True, by_name, twin))
            if item and word.endswith("/") and target.exists and target.is_dir:
                nest.append((indent, target.path))
    quoted = re.compile(r"""['"\u2018\u201c]([\w.-]+/?)['"\u2019\u201d]""")
    for text in doc.texts:
        # a path has a slash or an extension: most words of prose have neither and are not matched
        tokens = (
            t.strip(_PUNCTUATION).rstrip(".").strip(_PUNCTUATION)
            for t in text.text.split()
            if "/" in t or "." in t[:-1]
        )
        # a file written from the repository's root (`/plot_bars.m`) is a path of its own too
        words = [w for w in tokens if _PROSE_PATH.fullmatch(w.removeprefix("/"))]
        if "'" in text.text or '"' in text.text or "\u2018" in text.text or "\u201c" in text.text:
            words += [m.group(1) for m in quoted.finditer(text.text)]
        folders = [m.group(1) for m in _IN_FOLDER.finditer(text.text) if m.group(1) in directories(facts)]
        for word in words:
            if (
                "/" not in word
                and "." not in word
                and word not in facts.entries
                and word not in directories(facts)
            ):
                continue
            target = resolve(facts, doc.path, word)
            titled = _section_folder(facts, text.sections)
            places = [*folders, titled] if titled else folders
            for place in places if target is None or not target.exists else []:
                # "run main.py in the Encoder folder": the file of that folder
                inside = resolve(facts, doc.path, f"{place}/{word}")
                target = inside if inside is not None and inside.exists else target
            target, by_name, twin = _found_elsewhere(facts, word, target)
            if (
                target is not None
                and target.path
                and (target.exists or twin or _own_script(facts, target.path) or _run_step(text.text, word))
            ):
                out.append(Mention(text.line, text.sections, word, target, False, by_name, twin))
    return out


def _found_elsewhere(
    facts: Facts, word: str, target: Resolved | None
) -> tuple[Resolved | None, bool, str | None]:
    """A name not where it is written: the one file of that name in the tree (found by name), or
    else the file of the tree it mistypes (its twin, the name itself still missing)."""
    if target is not None and target.exists:
        return target, False, None
    named = _only_file_named(facts, word)
    if named is not None:
        return named, True, None
    return target, False, twin_file(facts, word) if target is not None else None


def _only_file_named(facts: Facts, word: str) -> Resolved | None:
    """The file a bare name (`annotate-peaks.R`, `/plot_bars.m`) stands for when the tree holds
    exactly one file of that name, wherever it is: a README listing its scripts by name."""
    name = word.removeprefix("./").removeprefix("/")
    found = _files_by_name(facts).get(name, []) if "/" not in name else []
    return Resolved(found[0], True, False) if len(found) == 1 else None


# Extensions that name the same kind of file (`run_train.sh` for `run_train.bash`).
_SAME_KIND = ({"sh", "bash"}, {"yml", "yaml"}, {"jpg", "jpeg"}, {"tif", "tiff"}, {"md", "markdown"})


def twin_file(facts: Facts, word: str) -> str | None:
    """The one file of the tree whose name a missing name mistypes: the same but for case or `-`
    and `_` (`AC-CGAN.ipynb`, `AC_CGAN.ipynb`), for an extension of the same kind, or for a few
    letters of a long enough name (one in a short one, a swap: `aks.py`, `ask.py`), not by
    letters added at its end (`requirements_r.txt` is another file than `requirements.txt`)."""
    name = word.strip("/").rpartition("/")[2]
    stem, dot, ext = name.rpartition(".")
    if not dot or len(stem) < 3 or not ext.isalnum() or name in _files_by_name(facts):
        return None  # a file of that very name is in the tree: the name is right
    key, ext = _fold(stem), ext.lower()
    kinds = {ext}.union(*(kind for kind in _SAME_KIND if ext in kind))
    by_kind = _names_by_kind(facts)
    candidates = [
        named
        for o_ext in kinds
        for length in range(len(key) - 3, len(key) + 4)
        for named in by_kind.get((o_ext, length), ())
    ]
    if len(candidates) > MAX_TWIN_CANDIDATES:
        return None  # a tree of hundreds of names alike (`case_0001.nii` …): no one twin to tell
    twins: list[str] = []
    for o_ext, o_key, paths in candidates:
        added = (
            o_key[len(key) :] if o_key.startswith(key) else key[len(o_key) :] if key.startswith(o_key) else ""
        )
        near = o_key == key or (o_ext == ext and not _VARIANT.match(added) and _mistyped(key, o_key))
        if near:
            twins += paths
            if len(twins) > 1:
                return None
    return twins[0] if twins else None


# The most names a mistyped one is compared with (edits are counted in Python).
MAX_TWIN_CANDIDATES = 300


@fact
def _names_by_kind(facts: Facts) -> dict[tuple[str, int], list[tuple[str, str, list[str]]]]:
    """The tree's file names by extension and length of their folded stem, with their paths: a
    mistyped name is compared with the names of its kind and about its length, not all."""
    out: dict[tuple[str, int], list[tuple[str, str, list[str]]]] = {}
    for name, paths in _files_by_name(facts).items():
        stem, dot, ext = name.rpartition(".")
        if dot and stem:
            key = _fold(stem)
            out.setdefault((ext.lower(), len(key)), []).append((ext.lower(), key, paths))
    return out


# What a variant of a file adds to its name (`train_v2`, `requirements_r`, `model2`): another file.
_VARIANT = re.compile(r"[_\d]")


def _fold(stem: str) -> str:
    return stem.lower().replace("-", "_")


def _mistyped(key: str, other: str) -> bool:
    """Whether `key` mistypes `other`: a few edits, for the name's length and, where both have
    the same words (`_`), for the word they fall in (`StoreMeasurements_all` and `…_rnd` are two
    files; `IXI_preproccing` mistypes `IXI_preprocessing`)."""
    if _edits(key, other) > _allowed(len(key)):
        return False
    words, others = key.split("_"), other.split("_")
    if len(words) != len(others):
        return True
    return all(_edits(a, b) <= _allowed(len(a)) for a, b in zip(words, others, strict=True) if a != b)


def _allowed(length: int) -> int:
    """Edits that still mistype a name (or a word of one) of this length rather than name another."""
    return 1 if length < 6 else 2 if length < 10 else 3


def _edits(a: str, b: str) -> int:
    """Edits from `a` to `b` (insert, delete, replace, or swap two neighbours), counted up to
    four: past that the names are others."""
    if abs(len(a) - len(b)) > 3:
        return 4
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > 3:
            return 4
        previous2, previous = previous, current
    return previous[-1]


@fact
def _files_by_name(facts: Facts) -> dict[str, list[str]]:
    """The files of the tree by their name."""
    named: dict[str, list[str]] = {}
    for path in facts.files:
        named.setdefault(path.rpartition("/")[2], []).append(path)
    return named


def _section_folder(facts: Facts, sections: tuple[str, ...]) -> str | None:
    """The folder of the repository a section is titled for ("#### Skin Lesion Segmentation" over
    the steps of `Skin Lesion Segmentation/`): the bare file names its steps give are there."""
    if len(sections) < 2:
        return None
    named = _folders_by_name(facts)
    for title in reversed(sections[1:]):
        found = named.get(re.sub(r"[\W_]+", "", title.lower()), [])
        if len(found) == 1:  # two folders of that name (`src/Dataset/dataset`): which one is not said
            return found[0]
    return None


@fact
def _folders_by_name(facts: Facts) -> dict[str, list[str]]:
    """The folders of the tree by their name, case and punctuation aside."""
    named: dict[str, list[str]] = {}
    for folder in directories(facts) - {""}:
        named.setdefault(re.sub(r"[\W_]+", "", folder.rpartition("/")[2].lower()), []).append(folder)
    return named


def _python_module(facts: Facts, word: str) -> bool:
    """`fastmri.data`: a dotted name whose package folder or module file the tree holds (at the
    root or in a source folder) names a Python module, not a file with an extension `.data`."""
    if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+", word) or word in facts.entries:
        return False
    path = word.replace(".", "/")
    return any(d == path or d.endswith("/" + path) for d in directories(facts)) or any(
        f"{d}/{path}.py".lstrip("/") in facts.entries for d in ("", "src")
    )


def _run_step(text: str, word: str) -> bool:
    """Whether a sentence tells the reader to run the script `word` ("1. Run main_compare.m: it
    reconstructs …"): a step of this README, whose script should be here."""
    code = tuple(file_families()["code_extensions"])
    return (
        word.lower().endswith(code)
        and re.search(rf"\b(run|execute)\s+(the\s+)?{re.escape(word)}", text, re.I) is not None
    )


def _own_script(facts: Facts, path: str) -> bool:
    """A missing path that can only be this repository's: a source file inside one of its own
    folders (`tools/count_phrases.py` where `tools/` exists), not another project's file."""
    folder, _, leaf = path.rpartition("/")
    code = tuple(file_families()["code_extensions"])
    return bool(folder) and folder in directories(facts) and leaf.lower().endswith(code)


@cache
def data_section() -> re.Pattern[str]:
    """Heading titles of a data section."""
    return re.compile(data_table("readme")["sections"]["data"], re.IGNORECASE)


_BRANCH = re.compile(r"(├──|└──|├─|└─|\|--|`--|\+--)\s*(?P<name>[^\s#]+)")


def diagram_paths(facts: Facts, doc: Document) -> list[Mention]:
    """Paths a tree diagram of the repository shows (`├── train.py`), each resolved against the
    tree. A diagram is taken for the repository's when most of its first-level entries exist; a
    diagram of the data layout a reader should prepare is not."""
    out: list[Mention] = []
    for block in doc.code_blocks:
        if "├" not in block.text and "└" not in block.text and "|--" not in block.text:
            continue
        # compiled for a README with a diagram only (re keeps it compiled for the next block)
        made = re.compile(data_table("readme")["made_folders"], re.IGNORECASE)
        if any(data_section().search(s) for s in block.sections):
            continue  # the layout a reader gives the data they bring
        entries: list[tuple[int, str, int]] = []  # (column, path, line)
        folders: set[str] = set()  # entries the diagram shows as folders (a slash, or entries in them)
        stack: list[tuple[int, str]] = []
        root = ""
        for offset, line in enumerate(block.text.splitlines()):
            m = _BRANCH.search(line)
            if m is None:
                head = line.strip().rstrip("/")
                if not entries and head and head not in (".", "./") and head in directories(facts):
                    root = head
                continue
            column, written = m.start(), m.group("name")
            name = written.rstrip("/")
            while stack and stack[-1][0] >= column:
                stack.pop()
            parent = stack[-1][1] if stack else root
            path = posixpath.join(parent, name) if parent else name
            stack.append((column, path))
            if written.endswith("/"):
                folders.add(path)
            if parent:
                folders.add(parent)
            entries.append((column, path, block.line + offset))
        if not entries:
            continue
        top = min(c for c, _, _ in entries)
        first = [p for c, p, _ in entries if c == top]
        if sum(1 for p in first if p in facts.entries or p in directories(facts)) * 2 < len(first):
            continue
        for _column, path, number in entries:
            if any(made.fullmatch(part) for part in path.split("/")[:-1]):
                continue  # inside a folder of data, checkpoints or outputs the reader fills
            exists = path in facts.entries or path in directories(facts)
            parents = [path.rsplit("/", i)[0] for i in range(1, path.count("/") + 1)]
            if not exists and (
                path in folders or any(p in folders and p not in directories(facts) for p in parents)
            ):
                continue  # a folder that runs or downloads make (`outputs/model/step0`), and what it holds
            target = Resolved(path, exists, path in directories(facts))
            out.append(Mention(number, block.sections, path, target, True))
    # a block that lists paths of the repository (most of them there), as a diagram shows them
    for block, rows in _path_blocks(doc):
        if any(data_section().search(s) for s in block.sections):
            continue  # the layout of the data a reader brings
        found = [(at, w, resolve(facts, doc.path, w)) for at, w in rows]
        if 2 * sum(1 for *_, t in found if t is not None and t.exists) >= len(found):
            out += [Mention(at, block.sections, w, t, True) for at, w, t in found if t is not None and t.path]
    return out
