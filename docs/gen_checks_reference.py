"""Write the built-in checks section of docs/checks.md from the checks' own docstrings.

The section between the ``checks:start`` and ``checks:end`` markers is
replaced; the rest of the page is written by hand. A test checks that the
committed section is current.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

from ratchet.evaluate.checks.apply import BUILTIN_CHECKS
from ratchet.evaluate.checks.registry import REGISTRY

OUT = Path(__file__).with_name("checks.md")
START = "<!-- checks:start (generated from the docstrings by docs/gen_checks_reference.py) -->"
END = "<!-- checks:end -->"


def render_builtins() -> str:
    """One section per built-in check, in the order they run."""
    parts = []
    for name in BUILTIN_CHECKS:
        registered = REGISTRY.get(name)
        if registered is None:
            raise SystemExit(f"no check registered for {name}")
        doc = inspect.cleandoc(registered.fn.__doc__ or "")
        parts.append(f"### `{name}`\n\n{doc}\n")
    return "\n".join(parts)


def render(page: str) -> str:
    """``page`` with its generated section brought up to date."""
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(page):
        raise SystemExit(f"{OUT.name} has no {START} … {END} section")
    block = f"{START}\n\n{render_builtins()}\n{END}"
    return pattern.sub(lambda _: block, page, count=1)


def main() -> None:
    page = OUT.read_text()
    updated = render(page)
    if updated != page:
        OUT.write_text(updated)
        print(f"wrote {OUT.name}", file=sys.stderr)


if __name__ == "__main__":
    main()
