"""The report as its readers see it: in a real browser (Debian's Chromium via Playwright)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from budget.app.pipeline import make_report
from scripts.pdf import CHROMIUM_ARGS, chromium_path, print_pdf
from tests.conftest import DEMO, IN_CI, ROOT, Folder, need

pytestmark = pytest.mark.browser
SCREENSHOTS = ROOT / "reports" / "screenshots"


@pytest.fixture(scope="module")
def demo_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    stamp = datetime(2017, 9, 12, 10)
    make_report(DEMO, 4, out, stamp)
    make_report(DEMO, 8, out, stamp)
    return out / "skarholmen-2017-T2.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if chromium_path() is None:
        need("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser: Any, url: str, width: int, height: int) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            requests.append(r.url)
            if not r.url.startswith(("file:", "data:", "about:", "blob:"))
            else None
        ),
    )
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    return page, errors, requests


def test_report_in_the_browser(browser: Any, demo_html: Path) -> None:
    page, errors, requests = open_page(browser, demo_html.as_uri(), 1280, 900)
    assert errors == []
    assert requests == []
    assert page.evaluate("document.documentElement.lang") == "sv"
    chart_ids = page.eval_on_selector_all("div.plotly-graph-div", "els => els.map(e => e.id)")
    assert {
        "chart-budget-prognos",
        "chart-avvikelse",
        "chart-vattenfall",
        "chart-manadsutfall",
        "chart-mal",
        "chart-volym-1",
    } <= set(chart_ids)
    for chart in chart_ids:
        assert page.locator(f"#{chart} svg.main-svg").count() >= 1, f"{chart} was not drawn"
    drill = page.locator("details.drill").first
    assert drill.get_attribute("open") is None
    drill.locator("summary").click()
    assert drill.get_attribute("open") is not None
    assert drill.locator("table").first.is_visible()
    # Keyboard: the drill-down opens with Enter on its summary too.
    second = page.locator("details.drill").nth(1)
    second.locator("summary").focus()
    page.keyboard.press("Enter")
    assert second.get_attribute("open") is not None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "desktop.png"), full_page=True)
    page.close()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it stands."""
    if not AXE.exists():
        if IN_CI:
            pytest.fail("axe-core is missing in CI: `make test` installs it with npm ci")
        pytest.skip("axe-core is not installed (npm ci)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    # axe really ran its rules: a page it could not check would pass with no violations.
    assert {"color-contrast", "html-has-lang", "th-has-data-cells"} <= {
        r["id"] for r in result["passes"]
    }
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result["violations"]
    ]


@pytest.mark.parametrize("media", ["screen", "print"])
def test_report_meets_wcag_21_aa(browser: Any, demo_html: Path, media: str) -> None:
    """Lagen om tillgänglighet till digital offentlig service: WCAG 2.1 AA, checked by axe-core."""
    page, _, _ = open_page(browser, demo_html.as_uri(), 1280, 900)
    page.emulate_media(media=media)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert axe_violations(page) == []
    page.close()


def test_report_on_a_phone(browser: Any, demo_html: Path) -> None:
    page, errors, requests = open_page(browser, demo_html.as_uri(), 390, 844)
    assert errors == []
    assert requests == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "phone.png"), full_page=True)
    page.close()


def test_report_prints_to_a4_pdf(browser: Any, demo_html: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "rapport.pdf"
    print_pdf(demo_html, pdf, browser)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    counts = [int(n) for n in re.findall(rb"/Count (\d+)", data)]
    assert counts, "no page tree in the PDF"
    assert max(counts) >= 5, "the whole report, not a single page"
    assert b"/StructTreeRoot" in data, "a tagged PDF, for screen readers"
    assert b"/Outlines" in data, "an outline (bookmarks) from the headings"


def word_heights(pdf: Path, first: int, last: int) -> list[float]:
    """The height of every word's box on pages ``first``–``last`` (pdftotext -bbox), in pt:
    about 1,16 × the font size with the report's sans-serif."""
    pdftotext = need("pdftotext")
    boxes = subprocess.run(
        [pdftotext, "-f", str(first), "-l", str(last), "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        float(y1) - float(y0)
        for y0, y1 in re.findall(r'yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)"', boxes)
    ]


def test_print_sets_text_at_the_sizes_the_print_style_asks_for(
    browser: Any, demo_html: Path, tmp_path: Path
) -> None:
    """Tables at 8 pt and body text at 10 pt, whatever the window was when printing began: a
    chart drawn at the window's width used to make Chromium shrink every page to fit it (the
    tables came out at 5,3 pt). A word's box is about 1,16 × its size: 8 pt gives 9,3."""
    pdf = tmp_path / "rapport.pdf"
    print_pdf(demo_html, pdf, browser)  # a page of Playwright's default width, 1280 px
    heights = word_heights(pdf, 2, 6)
    smallest_common = min(h for h in set(heights) if heights.count(h) >= 20)
    assert smallest_common >= 9.0, sorted(set(heights))


WIDE_TABLES = """() => [...document.querySelectorAll('table')]
  .filter(t => t.getBoundingClientRect().width > 0)
  .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1
            || t.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(t => (t.caption ? t.caption.textContent : t.outerHTML.slice(0, 80)).trim())"""


@pytest.mark.parametrize("width", [1280, 1024])
def test_no_table_is_clipped_on_screen(browser: Any, demo_html: Path, width: int) -> None:
    page, _, _ = open_page(browser, demo_html.as_uri(), width, 900)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate(WIDE_TABLES) == []
    page.close()


def test_no_table_is_clipped_in_print(browser: Any, demo_html: Path) -> None:
    # A4 less the page margins (14 mm each side) at 96 px per inch: 182 mm ≈ 688 px.
    page, _, _ = open_page(browser, demo_html.as_uri(), 688, 1000)
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(WIDE_TABLES) == []
    page.close()


# A4 less the page margins (18 mm top, 16 mm bottom) at 96 px per inch: 263 mm ≈ 994 px.
PAGE_HEIGHT = 994

# From a chart's caption to the bottom of its drawing (a data table the figure carries in a
# details box below may go on to the next page).
TALL_CHARTS = f"""() => [...document.querySelectorAll('figure.chart')].map(f => {{
    const top = f.querySelector('figcaption').getBoundingClientRect().top;
    const drawn = [...f.children].filter(c => !c.matches('figcaption, details'));
    const bottom = Math.max(...drawn.map(c => c.getBoundingClientRect().bottom));
    return [f.querySelector('figcaption').textContent.trim().slice(0, 60),
            Math.round(bottom - top)];
  }}).filter(([_, height]) => height > {PAGE_HEIGHT})"""


def printing(browser: Any, demo_html: Path) -> Any:
    """The report laid out as on paper: the page's width, print media, beforeprint done."""
    page, _, _ = open_page(browser, demo_html.as_uri(), 688, 1000)
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.evaluate("() => window.budgetPrinted")
    return page


def test_every_chart_fits_a_printed_page(browser: Any, demo_html: Path) -> None:
    """A chart is never cut across pages: its caption and drawing do not break inside, so
    none may be taller than a page (the small multiples per area were 1 464 px and lost
    their last row and legend to the next page)."""
    page = printing(browser, demo_html)
    assert page.evaluate("document.querySelectorAll('figure.chart').length") >= 5
    assert page.evaluate(TALL_CHARTS) == []
    # Each chart's caption and drawing stay together: the figure box holds the plot.
    assert (
        page.evaluate(
            """() => [...document.querySelectorAll('figure.chart .js-plotly-plot')]
  .filter(p => p.getBoundingClientRect().bottom
            > p.closest('figure').getBoundingClientRect().bottom + 1).length"""
        )
        == 0
    )
    page.close()


def test_every_chart_is_whole_in_the_pdf(browser: Any, demo_html: Path, tmp_path: Path) -> None:
    """In the PDF itself: a chart's caption and its last line (legend or axis title) are on
    one page, for the tallest chart of the demo (small multiples, legend below)."""
    pdf = tmp_path / "rapport.pdf"
    print_pdf(demo_html, pdf, browser)
    pdftotext = need("pdftotext")
    pages = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    flat = [" ".join(p.split()) for p in pages]
    caption = "Ackumulerad nettokostnad per månad och område"
    (where,) = [i for i, p in enumerate(flat) if caption in p]
    assert "Prognos till december" in flat[where]


CLIPPED_CHART_TEXT = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
    const box = plot.getBoundingClientRect();
    return [...plot.querySelectorAll('svg text')]
      .filter(t => t.textContent.trim() && t.getClientRects().length > 0)
      .filter(t => { const r = t.getBoundingClientRect();
                     return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1); })
      .map(t => [plot.id, t.textContent.trim()]);
  })"""


def test_no_chart_text_runs_past_the_chart_in_print(browser: Any, demo_html: Path) -> None:
    """An axis title centred under a plot area that long row names leave narrow ran past the
    chart's right edge on paper and was cut ("…, mnkr (+"): long titles wrap."""
    page = printing(browser, demo_html)
    assert page.evaluate(CLIPPED_CHART_TEXT) == []
    page.close()


PRINTED_LINKS = """() => [...document.querySelectorAll('main a[href^="#"]')]
  .filter(a => a.getClientRects().length > 0)
  .map(a => {
    const target = document.getElementById(a.getAttribute('href').slice(1));
    const section = target && target.closest('section');
    const heading = section && section.querySelector('h2');
    const after = a.nextElementSibling && a.nextElementSibling.matches('.print-target')
      ? a.nextElementSibling.textContent : '';
    return [a.textContent.trim(), after, heading ? heading.textContent.trim() : null];
  })"""


def test_a_printed_link_says_where_it_points(browser: Any, demo_html: Path) -> None:
    """Paper cannot follow a link: "Se siffran" and the like name their target's section."""
    page = printing(browser, demo_html)
    links = page.evaluate(PRINTED_LINKS)
    page.close()
    assert any(text == "Se siffran" for text, _, _ in links)
    unnamed = [
        (text, after)
        for text, after, heading in links
        if heading is not None and heading not in text + after
    ]
    assert unnamed == []
    for text, after, _ in links:
        if text == "Se siffran":
            assert after.startswith(" (tabellen ”"), after


def printed(name: str, flat: str) -> bool:
    """A name in the PDF's text (``pdf_text``: a wrapped table cell is one piece there)."""
    return f" {name} " in f" {flat} "


def assert_every_line_printed(data: dict[str, Any], flat: str) -> None:
    """Every area and delområde the document shows, with its forecast, is in the PDF's text."""
    from budget.core import fmt
    from budget.core.ledger import UNASSIGNED_SUBAREA, UNMAPPED
    from budget.core.money import from_kronor

    for line in data["areas"]:
        name = line["subarea"] or line["area"]
        if name in (UNMAPPED, UNASSIGNED_SUBAREA) and not any(
            line[k]["net"] for k in ("budget", "actual", "forecast")
        ):
            continue  # shown only when something is there
        forecast = " ".join(fmt.money(from_kronor(line["forecast"]["net"]), data["unit"]).split())
        # pdftotext reads a table's cells in no fixed order: the name and the figure, each.
        assert printed(name, flat), name
        assert f" {forecast} " in f" {flat} ", (name, forecast)


def laid_out(pdf: Path) -> list[str]:
    """The PDF's text lines, with a table cell's wrapped lines joined into one.

    pdftotext reads a table row by row, so a name wrapped in its cell comes out with the
    row's other cells between its lines. Here each line (``-bbox-layout``) is joined to the
    next line that starts at the same x just below it on the same page: the cell's next line.
    A line that ends in a hyphen (``e-`` / ``post``) is joined without a space.
    """
    pdftotext = need("pdftotext")
    layout = subprocess.run(
        [pdftotext, "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    number = r'="([0-9.]+)"'
    texts: list[str] = []
    for page in re.findall(r"<page .*?</page>", layout, re.DOTALL):
        open_lines: list[tuple[float, float, int]] = []  # x, bottom, index in texts
        for x0, y0, _x1, y1, body in re.findall(
            rf"<line xMin{number} yMin{number} xMax{number} yMax{number}>(.*?)</line>",
            page,
            re.DOTALL,
        ):
            words = " ".join(re.findall(r"<word[^>]*>([^<]*)</word>", body))
            top, left = float(y0), float(x0)
            above = next(
                (
                    i
                    for i, (x, bottom, _) in enumerate(open_lines)
                    if abs(x - left) < 1.5 and 0 <= top - bottom < 4
                ),
                None,
            )
            if above is None:
                texts.append(words)
                open_lines.append((left, float(y1), len(texts) - 1))
            else:
                _, _, index = open_lines[above]
                joiner = "" if texts[index].endswith("-") else " "
                texts[index] += joiner + words
                open_lines[above] = (left, float(y1), index)
    return [t.replace("\u00ad", "") for t in texts]


def pdf_text(browser: Any, html: Path, tmp_path: Path) -> str:
    pdf = tmp_path / "rapport.pdf"
    print_pdf(html, pdf, browser)
    return " | ".join(" ".join(line.split()) for line in laid_out(pdf))


def test_the_pdf_of_any_inputs_folder_holds_every_line(
    browser: Any, folder: Folder, tmp_path: Path
) -> None:
    """Not only the demo: a small folder with delområden and a code missing from struktur."""
    import json

    rows = [[2017, m, "A1", "100", "5010", 100_000 + m] for m in range(1, 5)]
    rows += [[2017, m, "B1", "200", "5010", 50_000] for m in range(1, 5)]
    rows += [[2017, 2, "A1", "999", "6410", 4_000]]
    folder.ledger(rows)
    out = tmp_path / "out"
    make_report(folder.path, 4, out, datetime(2017, 5, 10))
    html = out / "testnamnd-2017-T1.html"
    flat = pdf_text(browser, html, tmp_path)
    data = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
    assert "Ej fördelat" in {a["area"] for a in data["areas"]}
    assert_every_line_printed(data, flat)


def test_the_pdf_holds_every_indicator_and_every_area(
    browser: Any, demo_html: Path, tmp_path: Path
) -> None:
    """Print is the document: collapsed goals and drill-downs open for print (issue 13)."""
    import json

    flat = pdf_text(browser, demo_html, tmp_path)
    data = json.loads(demo_html.with_suffix(".json").read_text(encoding="utf-8"))
    indicators = {
        i["name"]
        for d in data["goals"]["direction_goals"]
        for g in d["goals"]
        for i in g["indicators"]
    }
    assert len(indicators) > 20
    missing = sorted(name for name in indicators if not printed(name, flat))
    assert missing == []
    assert_every_line_printed(data, flat)
    # The drill-downs print with their figures (Fördjupning per område).
    assert "Ansvar" in flat
    # Front matter and page numbers as a tjänsteutlåtande has them.
    pages = max(int(n) for n in re.findall(r"Sida \d+ \((\d+)\)", flat))
    assert pages >= 5
    assert f"Sida 1 ({pages})" in flat
    assert f"Sida {pages} ({pages})" in flat
    front = flat[: flat.index("Sammanfattning")]
    for text in ("Diarienummer", "1.2.1-289/2017", "Handläggare", "Karin Ek", "2017-09-12"):
        assert text in front, text
