"""The förvaltning's analysis text (contract §7): a small typed model of what it wrote.

``analys.docx`` (or ``analys.md``) is read by ``budget.edge.analysis`` into a ``Source``: the
document's headings and blocks in order, each with where it stands. ``assign`` gives each
heading that names ``Sammanfattning``, a verksamhetsområde or a delområde (matched like
headers, ``core.names``) its part, and everything under it up to the next such heading.

**The model, for every renderer** (HTML, the report workbook, JSON and the Word
tjänsteutlåtande): a ``Part`` holds ``blocks``, each a ``Paragraph``, a ``Heading`` (a
heading inside a part that names no area: kept, with a warning), a ``ListBlock`` (its
``items``, each with its nesting ``level``) or a ``Table`` (rows of cells). Text is always a
tuple of ``Run`` (text, bold, italic); a run's text may hold ``\\n`` (a line break) and
``\\t``. ``plain`` gives a part's text as plain text (the JSON's ``text``); ``block_text``
one block's. A renderer that walks ``Part.blocks`` and prints every run's text loses
nothing (``tests/test_analysis.py`` holds that for HTML and JSON).

Nothing written is dropped: text before the first heading and under a heading that names
nothing known is kept in the part it stands in (the summary for text before any part),
with a warning naming the file and the closest name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from budget.core import fmt
from budget.core.lines import Line
from budget.core.names import normalize_header
from budget.diagnostics import Diagnostic

SUMMARY = "Sammanfattning"
# The paragraph style of the text ``budget analysmall`` generates (the figures and the
# instructions): the reader leaves it out, so that only the förvaltning's text is read.
GENERATED_STYLE = "Budget genererad text"


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False


Runs = tuple[Run, ...]


@dataclass(frozen=True)
class Paragraph:
    runs: Runs


@dataclass(frozen=True)
class Heading:
    """A heading: in a ``Source`` any heading; in a ``Part`` one that names no part."""

    runs: Runs
    level: int = 1  # 0 = a title, 1 = Rubrik 1 / #, …


@dataclass(frozen=True)
class Item:
    runs: Runs
    level: int = 0  # nesting, 0 = top


@dataclass(frozen=True)
class ListBlock:
    items: tuple[Item, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Runs, ...], ...]  # each row its cells, each cell its runs


Block = Paragraph | Heading | ListBlock | Table


@dataclass(frozen=True)
class Entry:
    """One heading or block of the document as read, and where it stands ("stycke 4")."""

    block: Block
    where: str


@dataclass(frozen=True)
class Source:
    """The document as read: its file name and its headings and blocks in order."""

    file: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Part:
    """The förvaltning's text for the summary (``area`` None) or an area or delområde."""

    area: str | None
    subarea: str | None
    heading: str  # the heading as written
    blocks: tuple[Block, ...]
    where: tuple[str, ...] = ()  # where each block stands in the file

    @property
    def text(self) -> str:
        return plain(self.blocks)

    @property
    def is_summary(self) -> bool:
        return self.area is None


@dataclass(frozen=True)
class Analysis:
    file: str
    summary: Part | None
    parts: tuple[Part, ...]  # the areas' and delområden's parts, in report order

    def part(self, area: str, subarea: str | None = None) -> Part | None:
        return next((p for p in self.parts if p.area == area and p.subarea == subarea), None)

    def covers(self, area: str) -> bool:
        """Whether the area or one of its delområden has text."""
        return any(p.area == area and p.blocks for p in self.parts)


def runs_text(runs: Iterable[Run]) -> str:
    return "".join(r.text for r in runs)


def block_text(block: Block) -> str:
    """One block as plain text: a list item per line ("– " or "1. "), a table row per line
    with its cells separated by " | "."""
    if isinstance(block, Paragraph | Heading):
        return runs_text(block.runs)
    if isinstance(block, ListBlock):
        return "\n".join(
            "  " * item.level + (f"{n}. " if block.ordered else "– ") + runs_text(item.runs)
            for n, item in enumerate(block.items, 1)
        )
    return "\n".join(" | ".join(runs_text(cell) for cell in row) for row in block.rows)


def plain(blocks: Iterable[Block]) -> str:
    """A part's text as plain text: blocks separated by a blank line."""
    return "\n\n".join(block_text(b) for b in blocks)


def has_text(block: Block) -> bool:
    return bool(block_text(block).strip())


# -- Which part a heading opens ------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    """The parts a heading may name, in report order: areas and (area, delområde)."""

    areas: tuple[str, ...]
    subareas: tuple[tuple[str, str], ...]

    @staticmethod
    def of(lines: Sequence[Line]) -> Names:
        return Names(
            tuple(ln.area for ln in lines if ln.is_area and not ln.is_unallocated),
            tuple(
                (ln.area, ln.subarea)
                for ln in lines
                if not ln.is_area and ln.subarea is not None and not ln.is_unallocated
            ),
        )

    def all(self) -> list[str]:
        return [SUMMARY, *self.areas, *(s for _, s in self.subareas)]


Key = tuple[str | None, str | None]  # (area, subarea); (None, None) = the summary

_SEPARATOR = re.compile(r"\s*(?:›|>|–|—|/|:)\s*")


def match(heading: str, names: Names, current: str | None = None) -> Key | None:
    """The part a heading names: the summary, an area, a delområde (given alone, or after
    its area as ``Område › Delområde``); None when it names nothing known. A delområde
    name that two areas share is the one under the current area."""
    folded = normalize_header(heading)
    if folded == normalize_header(SUMMARY):
        return (None, None)
    for area in names.areas:
        if normalize_header(area) == folded:
            return (area, None)
    subs = [(a, s) for a, s in names.subareas if normalize_header(s) == folded]
    if len(subs) == 1 or (subs and current is None):
        return subs[0]
    if subs:
        return next((k for k in subs if k[0] == current), subs[0])
    pieces = _SEPARATOR.split(heading.strip(), maxsplit=1)
    if len(pieces) == 2:
        area, sub = (normalize_header(p) for p in pieces)
        for a, s in names.subareas:
            if normalize_header(a) == area and normalize_header(s) == sub:
                return (a, s)
    return None


def closest(heading: str, names: Names) -> str | None:
    """The known name closest to a heading (for the warning)."""
    folded = {normalize_header(n): n for n in names.all()}
    found = difflib.get_close_matches(normalize_header(heading), list(folded), n=1, cutoff=0.4)
    return folded[found[0]] if found else None


def _label(key: Key) -> str:
    area, sub = key
    return SUMMARY if area is None else (area if sub is None else f"{area} › {sub}")


def assign(source: Source, names: Names) -> tuple[Analysis, list[Diagnostic]]:
    """Each part's text; warnings for a heading that names nothing known (W341), text
    before the first heading (W342) and a part given twice (W343). Nothing is dropped:
    such text stays in the part it stands in, the summary when no part has begun."""
    found: list[Diagnostic] = []
    blocks: dict[Key, list[Entry]] = {}
    headings: dict[Key, str] = {}
    current: Key | None = None
    preamble: list[Entry] = []
    for entry in source.entries:
        text = runs_text(entry.block.runs).strip() if isinstance(entry.block, Heading) else ""
        key = match(text, names, current[0] if current else None) if text else None
        if key is not None:
            if key in blocks:
                found.append(_twice(source.file, entry, text))
            current = key
            blocks.setdefault(key, [])
            headings.setdefault(key, text)
            continue
        if text:
            found.append(_unknown(source.file, entry, text, names, current))
        if current is not None:
            blocks[current].append(entry)
        elif has_text(entry.block):
            preamble.append(entry)
    if preamble:
        found.append(_before(source.file, preamble[0]))
        summary: Key = (None, None)
        blocks[summary] = preamble + blocks.get(summary, [])
        headings.setdefault(summary, SUMMARY)

    def part(key: Key) -> Part:
        entries = blocks[key]
        return Part(
            key[0],
            key[1],
            headings[key],
            tuple(e.block for e in entries),
            tuple(e.where for e in entries),
        )

    order: list[Key] = []
    for area in names.areas:
        order.append((area, None))
        order += [(a, s) for a, s in names.subareas if a == area]
    summary_part = part((None, None)) if (None, None) in blocks else None
    return Analysis(source.file, summary_part, tuple(part(k) for k in order if k in blocks)), found


def _twice(file: str, entry: Entry, text: str) -> Diagnostic:
    return Diagnostic(
        "W343",
        f"rubriken {text!r} står två gånger; texterna under den läggs efter varandra",
        file=file,
        cell=entry.where,
        value=text,
    )


def _unknown(file: str, entry: Entry, text: str, names: Names, current: Key | None) -> Diagnostic:
    near = closest(text, names)
    hint = f"; närmast: {near}" if near else ""
    kept = _label(current) if current else SUMMARY
    return Diagnostic(
        "W341",
        f"rubriken {text!r} namnger inget verksamhetsområde, delområde eller "
        f"Sammanfattning{hint}; texten under den räknas till {kept}",
        file=file,
        cell=entry.where,
        value=text,
        expected="Sammanfattning eller ett namn ur struktur.xlsx"
        + (f" (t.ex. {near})" if near else ""),
    )


def _before(file: str, entry: Entry) -> Diagnostic:
    return Diagnostic(
        "W342",
        "text står före den första rubriken; den räknas till Sammanfattning",
        file=file,
        cell=entry.where,
        value=runs_text_of(entry.block)[:80],
        expected="en rubrik (Sammanfattning eller ett verksamhetsområde) före texten",
    )


def runs_text_of(block: Block) -> str:
    return " ".join(block_text(block).split())


# -- Figures in the text (contract §7) -------------------------------------------------------

# An amount with its unit: Swedish digits with spaces (also no-break and thin) between
# thousands, a decimal comma (or point), a sign (-, −, –, +) before it.
_AMOUNT = re.compile(
    r"(?P<sign>[-−–+]\s?)?(?<![0-9,.])"
    r"(?P<int>[0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+|[0-9]+)"
    r"(?:[,.](?P<dec>[0-9]+))?"
    r"\s*(?P<unit>miljoner\s+kronor|miljoner\s+kr|mnkr|mkr|tkr|kronor|kr)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\b(underskott|överskott|avvikelse)\w*", re.IGNORECASE)
_NEGATIVE = re.compile(r"\bnegativ\w*\s+(?:\w+\s+)?$", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\"”])|\n+")
_ORE_PER = {"mnkr": 100_000_000, "mkr": 100_000_000, "tkr": 100_000, "kr": 100}


@dataclass(frozen=True)
class Stated:
    """An amount the text states about an area's result, in öre (its sign as written:
    negative for an underskott or a negative avvikelse)."""

    word: str  # underskott, överskott or avvikelse
    ore: int
    signed: bool  # whether the text gave the sign (avvikelse)
    text: str  # the amount as written


def _ore(m: re.Match[str]) -> int:
    unit = " ".join(m.group("unit").lower().split())
    per = _ORE_PER["mnkr"] if unit.startswith("miljoner") else _ORE_PER[unit]
    digits = re.sub(r"\D", "", m.group("int"))
    value = Fraction(int(digits)) + (
        Fraction(int(m.group("dec")), 10 ** len(m.group("dec"))) if m.group("dec") else 0
    )
    return round(value * per)


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


def stated(sentence: str) -> Stated | None:
    """What a sentence states about the result: the underskott, överskott or avvikelse and
    the amount with a unit that stand nearest each other; None without either."""
    words = list(_WORD.finditer(sentence))
    amounts = list(_AMOUNT.finditer(sentence))
    if not words or not amounts:
        return None
    word, m = min(
        ((w, a) for w in words for a in amounts),
        key=lambda pair: (abs(pair[1].start() - pair[0].start()), pair[0].start()),
    )
    kind = word.group(1).lower()
    ore = _ore(m)
    sign = (m.group("sign") or "").strip()
    negative = sign in ("-", "−", "–") or (
        kind == "avvikelse" and bool(_NEGATIVE.search(sentence[: word.start()]))
    )
    signed = bool(sign) or negative or kind != "avvikelse"
    if kind == "underskott":
        ore = -abs(ore)
    elif kind == "överskott":
        ore = abs(ore)
    elif negative:
        ore = -ore
    return Stated(kind, ore, signed, m.group(0).strip())


@dataclass(frozen=True)
class Contradiction:
    part: Part
    stated: Stated
    computed: int  # the area's variance, öre
    where: str
    sentence: str
    sign: bool  # the sign contradicts the word (else: the amount differs)


def contradictions(analysis: Analysis, lines: Sequence[Line], unit: str) -> list[Contradiction]:
    """Each figure in an area's text that the report contradicts: a sign opposite to its
    word, or an amount more than the report's rounding (half its last shown digit) from
    the area's variance."""
    variance: dict[Key, int] = {(ln.area, ln.subarea): ln.variance.net for ln in lines}
    tolerance = fmt.half_unit(unit)
    out = []
    for part in analysis.parts:
        computed = variance.get((part.area, part.subarea))
        if computed is None:
            continue
        for block, where in zip(part.blocks, part.where or ("",) * len(part.blocks), strict=False):
            if isinstance(block, Table | Heading):
                continue
            for sentence in sentences(block_text(block)):
                s = stated(sentence)
                if s is None:
                    continue
                sign = s.signed and (
                    (s.ore < 0 and computed > tolerance) or (s.ore > 0 and computed < -tolerance)
                )
                size = abs(abs(s.ore) - abs(computed)) > tolerance
                if sign or size:
                    out.append(
                        Contradiction(part, s, computed, where, " ".join(sentence.split()), sign)
                    )
    return out


def contradiction_message(c: Contradiction, unit: str) -> str:
    shown = fmt.money_with_unit(c.computed, unit, signed=True)
    what = "ett överskott" if c.computed > 0 else "ett underskott" if c.computed < 0 else "noll"
    if c.sign:
        return (
            f"texten under {c.part.heading!r} talar om {c.stated.word} ({c.stated.text}), "
            f"men rapportens avvikelse är {shown}, {what}"
        )
    return (
        f"texten under {c.part.heading!r} anger {c.stated.word} {c.stated.text}, men "
        f"rapportens avvikelse är {shown}"
    )


def check_figures(
    analysis: Analysis, lines: Sequence[Line], unit: str
) -> tuple[list[Diagnostic], list[tuple[str, str]]]:
    """W340 for each contradicted figure, and its review item (area, message) for
    ``analys-siffra``."""
    found, items = [], []
    for c in contradictions(analysis, lines, unit):
        message = contradiction_message(c, unit)
        found.append(
            Diagnostic(
                "W340",
                message,
                file=analysis.file,
                sheet=c.part.heading,
                cell=c.where or None,
                value=c.sentence if len(c.sentence) <= 200 else c.sentence[:199] + "…",
                expected=f"avvikelse {fmt.money_with_unit(c.computed, unit, signed=True)}",
            )
        )
        assert c.part.area is not None
        items.append((c.part.area, f"{analysis.file}: {message}."))
    return found, items


def missing(
    analysis: Analysis | None, lines: Sequence[Line], threshold: int, unit: str
) -> list[tuple[str, str]]:
    """``analys-saknas``: each area whose deviation is beyond the threshold (öre) and that
    has no analysis text (for itself or a delområde): (area, message)."""
    out = []
    for ln in lines:
        if not ln.is_area or ln.is_unallocated or abs(ln.variance.net) <= threshold:
            continue
        if analysis is not None and analysis.covers(ln.area):
            continue
        what = "ett överskott" if ln.variance.net > 0 else "ett underskott"
        where = "analys.docx saknas" if analysis is None else f"{analysis.file} har ingen text"
        out.append(
            (
                ln.area,
                f"Prognosen visar {what} på "
                f"{fmt.money_with_unit(abs(ln.variance.net), unit)}, men {where} om området.",
            )
        )
    return out


def without_generated(source: Source, generated: Iterable[int]) -> Source:
    """The source without the entries at the given positions (the template's generated
    figures and instructions)."""
    drop = set(generated)
    return replace(source, entries=tuple(e for i, e in enumerate(source.entries) if i not in drop))


def pick(analyses: dict[str, Source], suffix: str) -> Source | None:
    """The analysis for a report: the period's own (analys-T2.docx for T2, analys-08.docx
    for August), else analys.docx."""
    return analyses.get(suffix, analyses.get(""))


@dataclass(frozen=True)
class Account:
    """The analysis as the report uses it: its parts and the warnings about it (headings
    that name nothing, text before the first heading, figures the report contradicts)."""

    analysis: Analysis | None
    diagnostics: tuple[Diagnostic, ...]


def account(source: Source | None, lines: Sequence[Line], unit: str) -> Account:
    """Each heading's part, and the figures in the text checked against the report (W340;
    the review's ``analys-siffra`` finds the same, ``core.review``)."""
    if source is None:
        return Account(None, ())
    analysis, found = assign(source, Names.of(lines))
    more, _ = check_figures(analysis, lines, unit)
    return Account(analysis, (*found, *more))
