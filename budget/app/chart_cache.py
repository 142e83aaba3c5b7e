"""The Word file's chart images kept between runs: a rerun draws only the charts that changed.

Drawing the charts with matplotlib is most of the Word file's cost (issue 32), and a chart
image is a pure function of what is drawn: the chart's plotly figure as JSON (the
``draw=`` map of ``report.formats.docx`` gets exactly that, and ``render.chart_image``
reads nothing else of the report), the drawing code, and the drawing libraries with their
settings and fonts. The cache is a ``draw`` map over the same JSON, given to
``docx.render``: it looks up each chart, draws the others with the map it wraps, and
keeps what it drew. The report package never sees a file.

**An image is reused only for exactly what drew it.** Its key (``edge.cache.key``: the
cache format and the toolkit's source fingerprint, as for a parsed workbook) takes

- the figure's JSON, encoded so that two figures the drawing could tell apart never share
  an encoding (``canonical``: dict order kept, a tuple is not a list, a float by its exact
  ``repr``, a bool is not an int); a figure holding any other type (a numpy array, a date)
  has no key and is drawn every time;
- the drawing's surroundings (``surroundings``): the versions of matplotlib, numpy,
  Pillow (which writes the PNG), FreeType and zlib, every matplotlib setting in force
  while a chart is drawn (a user's ``matplotlibrc`` included), and the digest of the font
  file each font the charts use resolves to.

An entry is the edge cache's sealed one (``cache.load_bytes``): verified by its digests
before use, a damaged or tampered one is drawn again; written atomically in the private
folder, with nothing unpickled; no cache when it is off (``BUDGET_NO_CACHE``) or the
folder is not private (the read has told the user, W314). A cached image is the bytes a
fresh draw gives (the drawing is deterministic), so a cached run's Word file is the
uncached run's, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import sys
import zlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from budget.edge import cache as edge_cache

if TYPE_CHECKING:
    from budget.report.formats.docx import Draw

SUFFIX = "png"
READER = "chart_image.png"


class _Unkeyed(Exception):
    """A figure holding a value whose encoding could be ambiguous: drawn, never cached."""


def _plain(value: Any) -> Any:
    """``value`` as JSON that keeps every distinction the drawing can see."""
    kind = type(value)
    if value is None or kind in (str, int, bool):
        return value
    if kind is float:
        return {"float": repr(value)}  # exact, and NaN, inf and -0.0 each their own
    if kind is list:
        return [_plain(v) for v in value]
    if kind is tuple:
        return {"tuple": [_plain(v) for v in value]}
    if kind is dict:
        items = list(value.items())
        if any(type(k) is not str for k, _ in items):
            raise _Unkeyed
        return {"dict": [[k, _plain(v)] for k, v in items]}  # the order kept
    raise _Unkeyed


def canonical(spec: Any) -> str | None:
    """The figure's JSON as one string (None: it holds a type without an exact encoding)."""
    try:
        plain = _plain(spec)
    except (_Unkeyed, RecursionError):
        return None
    return json.dumps(plain, ensure_ascii=True, separators=(",", ":"))


@cache
def surroundings() -> str:
    """What besides the figure and the toolkit's source decides a chart's pixels."""
    import matplotlib
    import numpy
    import PIL
    from matplotlib import font_manager, ft2font

    from budget.report.render import chart_image

    parts = [
        f"python {sys.version}",
        f"matplotlib {matplotlib.__version__}",
        f"numpy {numpy.__version__}",
        f"pillow {PIL.__version__}",
        f"freetype {ft2font.__freetype_version__}",
        f"zlib {zlib.ZLIB_RUNTIME_VERSION}",
    ]
    with matplotlib.rc_context(chart_image.RC):  # type: ignore[arg-type]
        settings = sorted((k, repr(v)) for k, v in matplotlib.rcParams.items())
        parts.append(repr(settings))
        families = matplotlib.rcParams["font.family"]
        for family in families:
            for weight in ("normal", "bold"):
                found = font_manager.findfont(
                    font_manager.FontProperties(family=family, weight=weight)
                )
                digest = hashlib.sha256(Path(found).read_bytes()).hexdigest()
                parts.append(f"font {family} {weight} {found} {digest}")
    return "\n".join(parts)


def _name(spec: dict[str, Any]) -> str | None:
    text = canonical(spec)
    if text is None:
        return None
    content = hashlib.sha256(f"{surroundings()}\n{text}".encode()).hexdigest()
    return edge_cache.key(content, "", READER)


def cached(where: Path, draw: Draw | None = None) -> Draw:
    """A ``draw`` map that takes each chart from the cache in ``where`` if it is there,
    draws the others with ``draw`` (``chart_image.pngs`` unless given; in one call, as
    many as are missing) and stores them."""

    def drawn(specs: list[dict[str, Any]]) -> list[bytes]:
        from budget.report.render import chart_image

        names = [_name(spec) for spec in specs]
        images: dict[int, bytes] = {}
        for i, name in enumerate(names):
            if name is not None and (data := edge_cache.load_bytes(where, name, SUFFIX)):
                images[i] = data
        missing = [i for i in range(len(specs)) if i not in images]
        if missing:
            fresh = (draw or chart_image.pngs)([specs[i] for i in missing])
            for i, data in zip(missing, fresh, strict=True):
                images[i] = data
                if (name := names[i]) is not None:
                    edge_cache.store_bytes(where, name, SUFFIX, data)
        return [images[i] for i in range(len(specs))]

    return drawn


def for_this_run(draw: Draw | None = None) -> Draw | None:
    """The cached ``draw`` map when the cache is on and its folder private, else ``draw``."""
    where = edge_cache.usable()
    return draw if where is None else cached(where, draw)


__all__ = ["cached", "canonical", "for_this_run", "surroundings"]
