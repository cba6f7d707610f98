"""The one guarded loader for what others wrote (repositories, corpora, hosts): YAML, TOML and
JSON, handed on as plain data, and Python source as a syntax tree (never run), or refused with
ParseRefused (a ValueError) saying why not:

- at most MAX_CHARS characters, read within TIME_BUDGET seconds;
- aliases (and YAML merge keys, which are aliases too) bounded by what they expand to: a document
  whose tree, with every alias written out, has more than MAX_NODES nodes is refused before it is
  built (a "billion laughs" bomb is a few hundred nodes on disk, billions once expanded), and one
  that contains itself is refused;
- at most MAX_DEPTH levels of nesting, known before libyaml builds the document: its composer
  recurses in C, and 100,000 nested brackets overflow the stack (a segmentation fault that ends
  the process). When the text alone cannot rule that out, libyaml's parser, which does not
  recurse, tells the depth from its events first.

The auditor's own YAML (its data files, checklists) is read by `safe_load`, the same parser unguarded.
"""

from __future__ import annotations

import ast
import json
import re
import time
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import yaml

MAX_CHARS = 4 * 1024 * 1024
MAX_DEPTH = 100
MAX_NODES = 500_000
TIME_BUDGET = 5.0

# libyaml's safe loader when PyYAML was built with it (its wheels are): the same documents, parsed
# ten times faster than by the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# What may open a block collection at the start of a line (indentation, `- `, `? `, `: `).
_BLOCK_LEAD = re.compile(r"^[ \t?:-]*", re.MULTILINE)


class ParseRefused(ValueError):
    """A document the guarded loader does not hand on: malformed, or built to exhaust a parser."""


def safe_load(text: str) -> Any:
    """The auditor's own YAML (its data files, checklists) as `yaml.safe_load` reads it."""
    return yaml.load(text, Loader=_SAFE_LOADER)


def parse_yaml(text: str) -> Any:
    """Untrusted YAML, guarded (see the module's docstring). Raises ParseRefused."""
    started = _start("YAML", text)
    try:
        if _depth_bound(text) > MAX_DEPTH and _depth(text) > MAX_DEPTH:
            raise ParseRefused(f"YAML nested more than {MAX_DEPTH} levels deep")
        parser = _SAFE_LOADER(text)
        try:
            node = parser.get_single_node()
            if node is None:
                return None
            _measure(node, _node_children, started)
            return parser.construct_document(node)
        finally:
            parser.dispose()
    except RecursionError:  # the pure-Python parser, where libyaml is missing
        raise ParseRefused(f"YAML nested more than {MAX_DEPTH} levels deep") from None
    except yaml.YAMLError as err:
        raise ParseRefused(f"not valid YAML ({type(err).__name__})") from None


def parse_toml(text: str) -> Any:
    """Untrusted TOML, guarded. Raises ParseRefused."""
    import tomllib  # only repositories with TOML files pay for it: not a re-run from the cache

    return _parse_plain("TOML", text, tomllib.loads)


def parse_json(text: str) -> Any:
    """Untrusted JSON, guarded. Raises ParseRefused."""
    return _parse_plain("JSON", text, json.loads)


def parse_python(text: str) -> ast.Module:
    """Untrusted Python source as a syntax tree: parsed, never run. The warnings its strings raise
    (`"\\d"`) are not the auditor's to print. Raises ParseRefused for source that does not parse,
    and for source built to exhaust the parser (200,000 nested unary minuses overflow its stack)."""
    _start("Python", text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(text)
        except (SyntaxError, ValueError) as err:  # ValueError: a null byte, before Python 3.12
            raise ParseRefused(f"not valid Python ({type(err).__name__})") from None
        except (RecursionError, MemoryError):
            raise ParseRefused("Python nested too deeply to parse") from None


def _parse_plain(kind: str, text: str, parse: Callable[[str], Any]) -> Any:
    started = _start(kind, text)
    try:
        doc = parse(text)
    except RecursionError:
        raise ParseRefused(f"{kind} nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as err:  # tomllib's and json's decode errors
        raise ParseRefused(f"not valid {kind} ({str(err).splitlines()[0]})") from None
    _measure(doc, _data_children, started)
    return doc


def _start(kind: str, text: str) -> float:
    if len(text) > MAX_CHARS:
        raise ParseRefused(f"{kind} document of {len(text):,} characters; at most {MAX_CHARS:,} are read")
    return time.monotonic()


def _depth_bound(text: str) -> int:
    """An upper bound on the nesting of a YAML document, from its text alone: every flow
    collection opens with `[` or `{`, and a block collection needs more indentation or an
    indicator in front of it on its line."""
    lead = max((len(m.group(0)) for m in _BLOCK_LEAD.finditer(text)), default=0)
    return lead + 1 + text.count("[") + text.count("{")


def _depth(text: str) -> int:
    """The nesting of a YAML document, from the parser's events, up to MAX_DEPTH + 1."""
    depth = deepest = 0
    for event in yaml.parse(text, Loader=_SAFE_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                break
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


def _node_children(node: Any) -> Iterable[Any] | None:
    """The nodes inside a YAML node; None for a scalar."""
    if isinstance(node, yaml.SequenceNode):
        children: list[Any] = node.value
        return children
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return None


def _data_children(value: Any) -> Iterable[Any] | None:
    """The values inside a list or a table; None for a scalar."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return None


def _measure(root: Any, children: Callable[[Any], Iterable[Any] | None], started: float) -> None:
    """Refuse a document whose tree, aliases written out, is too large or too deep, or that
    contains itself. Each distinct node is visited once: shared ones are measured once."""
    measured: dict[int, tuple[int, int]] = {}  # id → (nodes once expanded, depth)
    open_nodes: set[int] = set()  # on the path from the root: met again, the document is a loop
    stack: list[tuple[Any, bool]] = [(root, False)]
    visits = 0
    while stack:
        node, closing = stack.pop()
        key = id(node)
        if closing:
            open_nodes.discard(key)
            size, depth = 1, 1
            for child in children(node) or ():
                child_size, child_depth = measured.get(id(child), (1, 0))  # a scalar: (1, 0)
                size, depth = size + child_size, max(depth, child_depth + 1)
            if size > MAX_NODES:
                raise ParseRefused(f"aliases expand it to more than {MAX_NODES:,} nodes (an alias bomb)")
            if depth > MAX_DEPTH:
                raise ParseRefused(f"nested more than {MAX_DEPTH} levels deep")
            measured[key] = (size, depth)
            continue
        if key in measured:
            continue
        if key in open_nodes:
            raise ParseRefused("an alias makes the document contain itself")
        kids = children(node)
        if kids is None:
            continue
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in kids)
        visits += 1
        if visits % 1024 == 0 and time.monotonic() - started > TIME_BUDGET:
            raise ParseRefused(f"not read within {TIME_BUDGET:g} s")
