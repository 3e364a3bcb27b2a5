"""``reports/benchmarks.md`` as a header and numbered sections, so one section can be replaced.

A full run of ``python -m barrierlab.checker.bench`` writes the whole document. A run with
``--only NAME[,NAME...]`` measures only those sections and :func:`splice` puts them into the
document already there: each new section replaces the one with the same heading (or the same
number, should its title have changed) where it stands, a section the document lacks goes in
the order of the registry, and every other section is kept as it was. A spliced section opens
with a line that says which command measured it, when, on what machine and under what load;
the header says that such sections were measured apart from the full run.

>>> doc = "# B\\n\\n## 1. One\\n\\nold\\n\\n## 3. Three\\n\\nkept\\n"
>>> order = ["1. One", "2. Two", "3. Three"]
>>> header, sections = parse(splice(doc, [("1. One", ["new"]), ("2. Two", ["added"])], order))
>>> sections
[('1. One', ['new']), ('2. Two', ['added']), ('3. Three', ['kept'])]
>>> RERUN_NOTE in header
True
"""

from __future__ import annotations

__all__ = ["RERUN_NOTE", "parse", "render", "splice"]

#: The header's sentence about sections measured alone (added once, on the first splice).
RERUN_NOTE = (
    "Sections that open with *Rerun alone* were measured apart from the full run, by the "
    "command, on the date and the machine they name; the others come from the run above."
)


def parse(text: str) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The header's lines and ``(title, body lines)`` per ``## `` section, in order (leading
    and trailing blank lines dropped)."""
    header: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            header.append(line)
    return _trimmed(header), [(title, _trimmed(body)) for title, body in sections]


def render(header: list[str], sections: list[tuple[str, list[str]]]) -> str:
    """The document again: the header, then each section under its heading."""
    lines = _trimmed(header)
    for title, body in sections:
        lines += ["", f"## {title}", "", *_trimmed(body)]
    return "\n".join(lines) + "\n"


def _trimmed(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _number(title: str) -> str:
    """A section's number (``"4a."`` of ``"4a. Spreading a check"``), or the whole title."""
    first = title.split(" ", 1)[0]
    return first if first.endswith(".") and first[:1].isdigit() else title


def _rank(title: str, order: list[str]) -> int | None:
    for i, known in enumerate(order):
        if title == known or _number(title) == _number(known):
            return i
    return None


def splice(text: str, new: list[tuple[str, list[str]]], order: list[str]) -> str:
    """``text`` with each ``(title, body lines)`` of ``new`` in place of its old version.

    ``order`` is every section's title in the registry's order: a section ``text`` does not
    have yet goes after the last section that comes before it there. Sections of ``text`` that
    the registry does not know are kept where they are.
    """
    header, sections = parse(text)
    if not _trimmed(header):
        header = ["# Benchmarks"]
    if RERUN_NOTE not in "\n".join(header):
        header = [*_trimmed(header), "", RERUN_NOTE]
    for title, body in new:
        same = [i for i, (t, _) in enumerate(sections) if t == title]
        if not same:
            same = [i for i, (t, _) in enumerate(sections) if _number(t) == _number(title)]
        if same:
            sections[same[0]] = (title, body)
            continue
        rank = _rank(title, order)
        at = 0 if rank is not None else len(sections)
        for i, (t, _) in enumerate(sections):
            r = _rank(t, order)
            if r is not None and rank is not None and r < rank:
                at = i + 1
        sections.insert(at, (title, body))
    return render(header, sections)
