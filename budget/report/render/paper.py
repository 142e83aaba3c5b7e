"""Every sheet of every workbook the toolkit writes prints on A4, the width of one page.

Controllers print the report workbook, attach the begäran to the tjänsteutlåtande and hand the
samla status list round a meeting. ``print_setup`` is applied by ``xlsx.to_bytes``, the one
serialiser of every workbook, so no sheet can leave it out:

- A4, fitted to the width of one page (as many pages down as it needs);
- landscape where the columns are wider than a portrait page takes at a readable size;
- the rows above a frozen pane (the header) repeated on every page;
- the sheet's name and "Sida x av n" in the page's header and footer, when the sheet sets none.
"""

from __future__ import annotations

import re

from openpyxl.worksheet.worksheet import Worksheet

# Column widths (Excel's unit: about one character) that a portrait A4 page shows at 100 %
# with the default margins; a sheet wider than this prints in landscape.
PORTRAIT_WIDTH = 95
DEFAULT_WIDTH = 8.43  # Excel's width of a column without its own


def used_width(ws: Worksheet) -> float:
    """The summed width of the columns the sheet uses."""
    total = 0.0
    for index in range(1, max(ws.max_column, 1) + 1):
        letter = ws.cell(row=1, column=index).column_letter
        dim = ws.column_dimensions.get(letter)
        total += dim.width if dim is not None and dim.width else DEFAULT_WIDTH
    return total


def _frozen_rows(ws: Worksheet) -> int:
    """How many rows stand above the frozen pane (0 when none is frozen)."""
    found = re.match(r"^[A-Z]+([0-9]+)$", str(ws.freeze_panes or ""))
    return int(found.group(1)) - 1 if found else 0


def print_setup(ws: Worksheet) -> None:
    """A4, one page wide, header rows repeated; landscape when wide (see the module)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    wide = used_width(ws) > PORTRAIT_WIDTH
    if ws.page_setup.orientation != "landscape":
        ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    frozen = _frozen_rows(ws)
    if frozen and not ws.print_title_rows:
        ws.print_title_rows = f"1:{frozen}"
    if not ws.oddHeader.center.text:
        # &A is the sheet's name, &P and &N the page and the number of pages.
        ws.oddHeader.center.text = "&A"
    if not ws.oddFooter.center.text:
        ws.oddFooter.center.text = "Sida &P av &N"
