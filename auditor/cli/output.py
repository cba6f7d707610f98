"""Where a command writes, stdout or stderr: plain lines as they are, and what is drawn (the
terminal view, styled or marked-up text, the progress bar) through a rich console made when first
needed. A `check --quiet` draws nothing, so it does not import rich (a twentieth of its CPU)."""

from __future__ import annotations

import sys
from functools import cached_property
from typing import TYPE_CHECKING, Any

from auditor.render.text import clean

if TYPE_CHECKING:
    from rich.console import Console


class Output:
    def __init__(self, *, stderr: bool = False, quiet: bool = False) -> None:
        self.stderr = stderr
        self.quiet = quiet

    def line(self, text: str) -> None:
        """`text` and a newline, at once (as rich writes: each print flushed). Rich would read
        `:name:` as an emoji and widen tabs: a path is printed as the path it is, but for control
        characters (an error may quote a stranger's text), which are shown, never sent to the
        terminal (`ESC` as `␛`)."""
        if self.quiet:
            return
        stream = sys.stderr if self.stderr else sys.stdout
        stream.write(clean(text) + "\n")
        stream.flush()

    def print(self, *objects: Any, **options: Any) -> None:
        """What rich draws: `Console.print`."""
        self.console.print(*objects, **options)

    @cached_property
    def console(self) -> Console:
        from rich.console import Console

        return Console(stderr=self.stderr, quiet=self.quiet, soft_wrap=True)
