"""The Word file kept whole between runs: the same report is not written as Word twice.

The Word file is the slowest of the report's files (its text by python-docx, its charts by
matplotlib: ``chart_cache`` keeps the charts alone), and a pure function of the report and
of the code and libraries that write it. So a warm rerun, whose report is the same, takes
it from the cache instead.

**The key covers every input of the renderer.** ``docx.render(report, draw)`` reads

- the report: known by the SHA-256 of its pickle (``digest``). The render helper
  renders the Word file from the unpickled report and gives the bytes this process gives
  (``tests/test_renderers.py``): the pickle holds all the renderer reads of the report. A
  report that cannot be pickled has no key and is rendered every time. (The helper's
  report is the unpickled one, whose pickle need not be this process's bytes: the two
  keep entries of their own for the same report, each sound, not shared);
- the toolkit's files, templates included (``edge.cache.fingerprint``, in every key);
- the libraries: the version of every distribution installed beside the toolkit
  (python-docx, lxml, jinja2, plotly, matplotlib …) and Python's, and what else decides a
  chart's pixels (``chart_cache.surroundings``: matplotlib's settings in force, the fonts'
  digests, FreeType and zlib);
- ``draw``, which gives each chart the bytes ``chart_image.png`` gives it, whichever map
  draws it (the cache, one process or both): no input of its own.

Nothing else: no clock (the report's ``generated_at`` is in the report), no environment
variable, no file outside the package and the libraries. The entry is the edge cache's
sealed one (verified before use, written atomically in the private folder, nothing
unpickled); the cache off or its folder refused, the Word file is rendered as before.
"""

from __future__ import annotations

import hashlib
import pickle  # dumps only, for a digest: nothing is ever unpickled here
import sys
from collections.abc import Callable
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING

from budget.app import chart_cache
from budget.edge import cache as edge_cache

if TYPE_CHECKING:
    from budget.report.formats.docx import Draw
    from budget.report.model import Report

SUFFIX = "docx"
READER = "docx.render"


def digest(report: Report) -> str | None:
    """The SHA-256 of ``report``'s pickle, as the render helper is sent it: the report as
    the renderers see it. None where it cannot be pickled."""
    try:
        return hashlib.sha256(pickle.dumps(report, protocol=5)).hexdigest()
    except Exception:  # unpicklable: no key, rendered every time
        return None


@cache
def surroundings() -> str:
    """The libraries the Word file is written with, and what decides its charts' pixels."""
    installed = sorted(
        (str(dist.metadata["Name"] or "").lower(), str(dist.version))
        for dist in metadata.distributions()
    )
    return "\n".join([f"python {sys.version}", repr(installed), chart_cache.surroundings()])


def render(
    report: Report,
    draw: Draw | None = None,
    writer: Callable[[Report, Draw | None], bytes] | None = None,
) -> bytes:
    """The Word file of ``report`` (``docx.render``, or ``writer``), from the cache when an
    earlier run wrote it, else written (its charts through ``chart_cache``) and kept."""
    from budget.report.formats import docx

    write = writer or docx.render
    where = edge_cache.usable()
    report_digest = None if where is None else digest(report)
    if where is None or report_digest is None:
        return write(report, chart_cache.for_this_run(draw))
    name = edge_cache.key(report_digest, "", READER, surroundings())
    kept = edge_cache.load_bytes(where, name, SUFFIX)
    if kept is not None:
        return kept
    data = write(report, chart_cache.cached(where, draw))
    edge_cache.store_bytes(where, name, SUFFIX, data)
    return data


__all__ = ["digest", "render", "surroundings"]
