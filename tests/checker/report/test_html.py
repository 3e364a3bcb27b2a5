"""index.html: the expected sections, one row per rule, lanes per thread, nothing external."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from barrierlab.checker.report.html import render_html


class Page(HTMLParser):
    """Collects what the tests look at: elements with their attributes and nesting."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.elements: list[tuple[str, dict[str, str], tuple[str, ...]]] = []
        self.ids: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        path = tuple(f"{t}#{a.get('id', '')}.{a.get('class', '')}" for t, a in self.stack)
        self.elements.append((tag, attrs, path))
        if "id" in attrs:
            self.ids.append(attrs["id"])
        self._in_style = tag == "style"
        if tag not in ("meta", "br", "img", "link", "input", "hr", "circle"):
            self.stack.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        self._in_style = False
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self._in_style:
            self.style += data

    def find(self, tag, cls=None, inside=None):
        """Elements ``tag`` (of class ``cls``), optionally inside an ancestor like ``inside``."""
        return [
            (t, a, p)
            for t, a, p in self.elements
            if t == tag
            and (cls is None or cls in a.get("class", "").split())
            and (inside is None or any(inside in step for step in p))
        ]


@pytest.fixture(scope="module")
def page(report_dir):
    text = (report_dir / "index.html").read_text(encoding="utf-8")
    parser = Page()
    parser.feed(text)
    parser.close()
    return parser, text


def test_sections_and_page_settings(page, reports):
    p, text = page
    assert text.startswith("<!DOCTYPE html>")
    assert {"summary", "rules"} <= set(p.ids)
    assert len(p.ids) == len(set(p.ids)), "element ids must be unique"
    metas = [a for t, a, _ in p.elements if t == "meta"]
    assert any(a.get("name") == "viewport" and "width=device-width" in a["content"] for a in metas)
    assert "@media print" in p.style and "overflow-x: auto" in p.style
    for report in reports:
        assert f"t-{report['slug']}" in p.ids
        for r in report["results"]:
            assert f"t-{report['slug']}-{r['profile']}" in p.ids


def test_summary_has_a_row_per_target_and_profile(page, reports):
    p, _ = page
    rows = p.find("tr", inside="table#.summary")
    assert len(rows) - 1 == sum(len(r["results"]) for r in reports)  # minus the header row


def test_rules_table_has_one_row_per_rule(page, reports):
    p, _ = page
    rows = [a["id"] for t, a, path in p.find("tr", inside=".matrix rules") if "id" in a]
    expected = list(
        dict.fromkeys(row["id"] for rep in reports for r in rep["results"] for row in r["rules"])
    )
    assert sorted(rows) == sorted(f"rule-{i}" for i in expected)
    assert "rule-C-DRAIN" in rows and "rule-livelock" in rows
    columns = p.find("th", cls="col", inside=".matrix rules")
    assert len(columns) == sum(len(r["results"]) for r in reports)
    cells = p.find("td", cls="v", inside=".matrix rules")
    assert len(cells) == len(rows) * len(columns)


def test_per_target_rule_details_and_violations(page, reports):
    p, text = page
    for report in reports:
        for r in report["results"]:
            anchor = f"section#t-{report['slug']}-{r['profile']}"
            details = [
                e for e in p.find("tr", inside=anchor) if any(".rule-details" in s for s in e[2])
            ]
            assert len(details) == len(r["rules"]) + 1
            assert len(p.find("div", cls="violation", inside=anchor)) == len(r["violations"])
            for v in r["violations"]:
                assert v["replay"] in text
    assert "violated" in text and "conforms" in text


def test_violation_timeline_has_a_lane_per_thread(page, reports):
    p, _ = page
    failing = reports[1]
    for r in failing["results"]:
        anchor = f"section#t-{failing['slug']}-{r['profile']}"
        v = r["violations"][0]
        lanes = p.find("th", cls="lane", inside=anchor)
        assert [a for _, a, _ in lanes] and len(lanes) == v["threads"] == 3
        rows = [e for e in p.find("tr", inside=anchor) if any(".timeline" in s for s in e[2])]
        assert len(rows) == len(v["trace"]) + 1
        assert len(p.find("td", cls="lane", inside=anchor)) == len(v["trace"]) * v["threads"]
        assert len(p.find("td", cls="state", inside=anchor)) == len(v["trace"])


def test_state_graph_is_inline_svg_with_covered_edges(page, reports):
    p, _ = page
    for report in reports:
        for r in report["results"]:
            anchor = f"section#t-{report['slug']}-{r['profile']}"
            svgs = p.find("svg", inside=anchor)
            assert len(svgs) == 1
            g = r["graph"]
            assert len(p.find("circle", inside=anchor)) == g["drawn"]
            hot = p.find("path", cls="hot", inside=anchor)
            cov = p.find("path", cls="cov", inside=anchor)
            drawn = [e for e in g["covered"] if max(e) < g["drawn"]]  # the first states only
            path = [e for e in g["violation_path"] if max(e) < g["drawn"]]
            assert len(hot) == len(path) > 0 if r["violations"] else not hot
            assert len(cov) == len([e for e in drawn if e not in path])
            assert cov or r["violations"]


_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)
_LOADING_TAGS = ("script", "iframe", "img", "object", "embed", "link")
_LOADING_ATTRS = ("src", "href", "xlink:href", "srcset", "action", "data")


def external_resources(text: str) -> list[str]:
    """What in the HTML ``text`` could load something from elsewhere; empty if self-contained.

    Flagged: tags that load things, attributes pointing anywhere but ``#`` anchors (a URL
    scheme, ``//`` or a path), any ``http(s)://`` at all, and CSS ``@import`` or ``url()`` not
    pointing at an anchor.
    """
    page = Page()
    page.feed(text)
    page.close()
    found = []
    for tag, attrs, _ in page.elements:
        if tag in _LOADING_TAGS:
            found.append(f"<{tag}>")
        for name in _LOADING_ATTRS:
            value = attrs.get(name)
            elsewhere = value is not None and (_URL.match(value) or "/" in value)
            if elsewhere and not value.startswith("#"):
                found.append(f"<{tag} {name}={value!r}>")
    found += re.findall(r"https?://[^\s\"'<>)]*", text)
    if "@import" in page.style:
        found.append("@import")
    urls = re.findall(r"url\(([^)]*)\)", page.style)
    found += [f"url({u})" for u in urls if not u.strip("\"' ").startswith("#")]
    return found


def test_no_external_resources(page):
    p, text = page
    assert external_resources(text) == []
    assert re.findall(r"url\(([^)]*)\)", p.style) == ["#arrow-edge", "#arrow-cov", "#arrow-hot"]


@pytest.mark.parametrize(
    ("where", "injected"),
    [
        ("</head>", '<link rel="stylesheet" href="https://a/b.css">'),
        ("</head>", "<script>alert(1)</script>"),
        ("</head>", "<style>@import 'fonts.css';</style>"),
        ("</head>", "<style>body { background: url(paper.png) }</style>"),
        ("</body>", '<a href="//cdn.example/x">x</a>'),
        ("</body>", '<a href="other/page.html">x</a>'),
        ("</body>", "<p>see example.org at https://example.org</p>"),
    ],
)
def test_the_external_check_can_fail(where, injected):
    """The very check of ``test_no_external_resources`` flags a page that loads something."""
    report = {"slug": "x", "target": "x", "verdict": "pass", "results": [], "settings": {}}
    text = render_html([report])
    assert external_resources(text) == []
    assert where in text
    assert external_resources(text.replace(where, injected + where, 1)) != []
