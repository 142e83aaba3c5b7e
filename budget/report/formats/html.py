"""The self-contained HTML report: jinja2 templates, plotly.js embedded once.

The page (``report.html.j2``) holds the head, the front matter, the table of contents and the
body; the body is each section of ``sections.DOCUMENT`` rendered from its template part, a
chapter with its parts inside."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from budget.core import fmt
from budget.core.ledger import ACCOUNT_CLASSES
from budget.report.decision import REPORT_NAMES
from budget.report.labels import DECIDED, METHOD_LABELS, REVIEW_LABELS, budget_label
from budget.report.model import Report
from budget.report.sections import DOCUMENT, Section


@cache
def _env(parts: bool = False) -> Environment:
    # No bytecode cache: jinja2 stores compiled templates as pickles, and a cache
    # folder is no place to load code from. A section's part keeps its last newline, so
    # that the parts put together are the page as one template would write it.
    env = Environment(
        loader=PackageLoader("budget.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=parts,
    )
    env.filters["money"] = fmt.money
    env.filters["signed"] = lambda ore, unit: fmt.money(ore, unit, signed=True)
    env.filters["kronor"] = fmt.whole_kronor
    env.filters["kronor_ore"] = fmt.kronor_and_ore
    env.filters["count"] = fmt.number
    env.filters["indicator"] = fmt.indicator_value
    env.filters["inline"] = fmt.inline
    env.filters["pct"] = lambda v: "–" if v is None else fmt.percent(v, 1)
    env.filters["volume"] = lambda v: (
        "–" if v is None else fmt.number(v, 0 if float(v).is_integer() else 1)
    )
    env.filters["tone"] = lambda ore, threshold: (
        "pos" if ore >= threshold else "neg" if ore <= -threshold else ""
    )
    return env


@cache
def plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def period_text(year: int, month: int) -> str:
    if month == 1:
        return f"januari {year}"
    return f"januari–{fmt.MONTHS[month - 1]} {year}"


def context(report: Report, cdn: bool = False) -> dict[str, Any]:
    """What every template part may use; a section adds its own: its data (``data``) and
    what ``Section.context`` gives."""
    return {
        "r": report,
        "u": report.unit,
        # Half the display unit: smaller variances show as 0,0 and are called neither.
        "threshold": fmt.half_unit(report.unit),
        "period_text": period_text(report.period.year, report.period.month),
        "methods": METHOD_LABELS,
        "review_labels": REVIEW_LABELS,
        "budget_label": budget_label(report.has_requests),
        "decided_label": DECIDED,
        "month_names": [m[:3] for m in fmt.MONTHS],
        "tertial_names": REPORT_NAMES,
        "class_names": ACCOUNT_CLASSES,
        "plotly_js": None if cdn else plotly_js(),
        "plotly_cdn": _cdn_url() if cdn else None,
    }


def section_html(section: Section[Any], report: Report, shared: dict[str, Any]) -> str:
    """A section as the page has it: its blank line before, and, when it shows, its part
    with its own parts inside."""
    gap = "\n" if section.gap else ""
    if not section.visible(report):
        return gap
    body = "".join(section_html(part, report, shared) for part in section.children)
    own = section.context(report) if section.context else {}
    if section.build is not None:
        own = {"data": section.data(report), **own}
    text = (
        _env(parts=True)
        .get_template(section.template)
        .render(
            **shared,
            **own,
            body=Markup(body),
            anchor=section.anchor,
            title=section.title,
        )
    )
    return gap + text


def toc_html(report: Report) -> str:
    """The table of contents: every shown section that has a title, chapters and their parts.

    A section that always shows has its own indented line; one that may not is written
    inline, as the template's conditional lines always wrote it (the bytes stay the same)."""
    out = []
    for chapter in DOCUMENT:
        if not chapter.visible(report):
            continue
        for section in chapter.walk():
            if section.title is None or section.anchor is None or not section.visible(report):
                continue
            item = f'<li><a href="#{escape(section.anchor)}">{escape(section.title)}</a></li>'
            out.append(item if section.conditional else f"    {item}\n")
    return "".join(out)


def page(shared: dict[str, Any], toc: str, body: str) -> str:
    """The page around the sections: head, front matter (the document's title block),
    table of contents."""
    return (
        _env().get_template("report.html.j2").render(**shared, toc=Markup(toc), body=Markup(body))
    )


def render(report: Report, cdn: bool = False) -> bytes:
    shared = context(report, cdn)
    body = "".join(section_html(chapter, report, shared) for chapter in DOCUMENT)
    return page(shared, toc_html(report), body).encode("utf-8")


def _cdn_url() -> str:
    from plotly.offline import get_plotlyjs_version

    return f"https://cdn.plot.ly/plotly-{get_plotlyjs_version()}.min.js"
