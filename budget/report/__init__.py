"""The report as data (build, model) and its renderings (JSON, HTML, workbooks)."""
