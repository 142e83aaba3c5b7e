"""Driving Debian's Chromium with Playwright: screenshots and PDF of a report (tools, not core).

Playwright cannot download a browser here; it drives the system's Chromium
through ``executable_path``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html: Path, pdf: Path, browser: Any | None = None) -> None:
    """Print a report to A4 PDF with its print stylesheet (in ``browser`` if given)."""
    if browser is not None:
        _print(browser, html, pdf)
        return
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    if exe is None:
        raise RuntimeError("chromium saknas (apt-get install chromium)")
    with sync_playwright() as p:
        own = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        _print(own, html, pdf)
        own.close()


def _print(browser: Any, html: Path, pdf: Path) -> None:
    page = browser.new_page()
    page.goto(html.resolve().as_uri(), wait_until="load")
    page.emulate_media(media="print")
    # Headless printing fires no beforeprint: open the collapsed sections as a browser would.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    # The report redraws its charts at the page's width for print: wait until they are.
    page.evaluate("() => window.budgetPrinted")
    page.pdf(
        path=str(pdf),
        format="A4",
        print_background=True,
        margin={"top": "18mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
        # Header and "Sida x (n)" come from the report's own @page rules, so that printing
        # from a browser gives the same pages.
        prefer_css_page_size=True,
        # A tagged PDF (structure for screen readers) with an outline from the headings.
        tagged=True,
        outline=True,
    )
    page.close()


def report_html(inputs: Path, out: Path, period: str, tertial: str) -> Path:
    """The HTML file `budget report` wrote for ``inputs`` and the period make was given.

    The file-name suffix comes from core.period, where the month <-> tertial rule lives, so
    ``make pdf PERIOD=5`` prints the May report, not the T2 one.
    """
    from budget.core.period import Period, Tertial

    if period.strip():
        month = int(period)
    else:
        parsed = Tertial.parse(tertial)
        if parsed is None:
            raise SystemExit(f"Okänd tertial {tertial!r}; ange T1, T2 eller helar.")
        month = parsed.month
    suffix = Period(year=0, month=month).suffix
    return out / f"{inputs.resolve().name}-{suffix}.html"


def main(argv: list[str]) -> int:
    """``python -m scripts.pdf FILE.html [FILE.pdf]`` or ``--mapp DIR --out DIR PERIOD TERTIAL``."""
    if argv[:1] == ["--mapp"]:
        inputs, _, out, period, tertial = argv[1:6]
        source = report_html(Path(inputs), Path(out), period, tertial)
        target = source.with_suffix(".pdf")
    else:
        source = Path(argv[0])
        target = Path(argv[1]) if len(argv) > 1 else source.with_suffix(".pdf")
    if not source.is_file():
        print(f"Rapporten {source} finns inte; gör den först med make report.")
        return 1
    if chromium_path() is None:
        print("Chromium saknas: installera paketet chromium för att skriva ut PDF.")
        return 1
    print_pdf(source, target)
    print(f"Skrev {target}")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
