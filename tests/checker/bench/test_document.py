"""Splicing sections into benchmarks.md: replaced in place, the rest kept as it was."""

from __future__ import annotations

from barrierlab.checker.bench.document import RERUN_NOTE, parse, splice

ORDER = ["1. Bug finding", "2. Peer", "3. Speed", "4. Parallel"]
DOC = """# Benchmarks

Measured in one run of `python -m barrierlab.checker.bench` (11 min), on 2 cores.

## 1. Bug finding

| a | b |
|---|---|
| 1 | 2 |

## 3. Speed

old speed

## Notes by hand

kept too
"""


def test_a_section_is_replaced_where_it_stands_and_the_others_are_kept():
    text = splice(DOC, [("3. Speed", ["new speed"])], ORDER)
    header, sections = parse(text)
    assert [t for t, _ in sections] == ["1. Bug finding", "3. Speed", "Notes by hand"]
    assert dict(sections)["3. Speed"] == ["new speed"]
    assert dict(sections)["1. Bug finding"] == parse(DOC)[1][0][1]
    assert dict(sections)["Notes by hand"] == ["kept too"]
    assert header[:3] == parse(DOC)[0] and header[-1] == RERUN_NOTE


def test_a_missing_section_goes_in_the_registry_order():
    text = splice(DOC, [("4. Parallel", ["p"]), ("2. Peer", ["q"])], ORDER)
    titles = [t for t, _ in parse(text)[1]]
    assert titles == ["1. Bug finding", "2. Peer", "3. Speed", "4. Parallel", "Notes by hand"]


def test_a_renamed_section_replaces_the_one_with_its_number():
    text = splice(DOC, [("3. Speed and more", ["x"])], ["1. Bug finding", "3. Speed and more"])
    assert [t for t, _ in parse(text)[1]] == [
        "1. Bug finding",
        "3. Speed and more",
        "Notes by hand",
    ]


def test_splicing_twice_adds_the_note_once_and_is_stable():
    once = splice(DOC, [("3. Speed", ["s"])], ORDER)
    twice = splice(once, [("3. Speed", ["s"])], ORDER)
    assert twice == once and once.count(RERUN_NOTE) == 1


def test_no_document_yet_gives_a_header_and_the_section():
    header, sections = parse(splice("", [("2. Peer", ["q"])], ORDER))
    assert header[0] == "# Benchmarks" and sections == [("2. Peer", ["q"])]
