"""The report in each of its formats: JSON, HTML and the workbook, each a loop over the
report's sections (``report/sections``). The cells, charts and the other workbooks
(begäran, prognosunderlag) are drawn by ``report/render``."""
