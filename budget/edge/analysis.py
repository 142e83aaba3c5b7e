"""The förvaltning's analysis text read from ``analys.docx`` or ``analys.md`` (contract §7).

The result is a ``core.analysis.Source``: every heading and block of the document in order,
with where it stands (``stycke 12`` in Word, ``rad 12`` in Markdown). Which part a heading
opens is decided in the core (``core.analysis.assign``), against the structure's names.

**Word.** A ``.docx`` is a zip: it passes the workbooks' zip guard (``edge.workbook.inspect``:
every member inflated and counted, sizes and CRCs checked, encryption refused) before
python-docx opens it. ``.doc`` (Word 97–2003) is refused (E036), as is a password-protected
document (an OLE file under a ``.docx`` name, E007). The body is walked element by element,
not through python-docx's paragraph list alone, so that nothing written is passed over: text
in content controls (``w:sdt``), tracked insertions, fields, hyperlinks, text boxes and
equations is read, footnotes and endnotes where their reference stands; deleted text
(``w:del``), the fallback copy of a drawing (``mc:Fallback``) and comments are not.
Headings are paragraphs whose style (or its base) is a heading (``Heading 1``/``Rubrik 1``,
``Title``) or carries an outline level; lists are paragraphs with numbering.

The template ``budget analysmall`` writes marks its generated figures and instructions with
the paragraph style ``GENERATED_STYLE``: they are the toolkit's, not the förvaltning's, and
are left out when the document is read back.

**Markdown.** markdown-it-py (CommonMark with tables) parses ``analys.md``; ``#`` headings
open parts, and paragraphs, lists, tables, block quotes, code and HTML are kept as text.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from budget.core.analysis import (
    GENERATED_STYLE,
    Block,
    Entry,
    Heading,
    Item,
    ListBlock,
    Paragraph,
    Run,
    Runs,
    Source,
    Table,
)
from budget.core.names import MAX_CELL_TEXT, printable, unshowable
from budget.diagnostics import Diagnostic
from budget.edge import files
from budget.edge.files import UnreadableFile
from budget.edge.workbook import inspect

STEM = "analys"

# What a controller reads about the file in docs/indata.md (scripts/make_input_docs.py).
DESCRIPTION = (
    "Förvaltningens egen text per verksamhetsområde (kontraktet §7), i Word (`analys.docx`) "
    "eller Markdown (`analys.md`, rubriker med `#`). `analys-T2.docx` (eller `analys-08.docx` "
    "för en månad) gäller bara den perioden och går före `analys.docx`. En rubrik (vilken nivå "
    "som helst) som heter `Sammanfattning` eller som ett verksamhetsområde eller delområde i "
    "struktur.xlsx (som rubriker matchas: versaler, mellanslag och å/ä/ö spelar ingen roll; "
    "även `Område › Delområde`) inleder den delens text, som gäller fram till nästa sådan "
    "rubrik: stycken, listor, tabeller, fetstil och kursiv behålls. En annan rubrik ger "
    "varning W341 med det närmaste namnet, text före första rubriken W342, och texten räknas "
    "då till delen den står i (Sammanfattning före första rubriken): ingenting tas bort. "
    "Belopp med enhet (mnkr, tkr, kr, miljoner kronor) i samma mening som underskott, "
    "överskott eller avvikelse jämförs med rapportens avvikelse för området (W340 och "
    "Att granska: analys-siffra). `.doc` (Word 97–2003) läses inte (E036). "
    "`budget analysmall` skriver en förifylld mall; dess grå kursiva text (siffror, "
    "instruktioner) läses aldrig som förvaltningens text."
)
# word/document.xml larger than this is no analysis text (a report of 500 pages is ~5 MB).
MAX_DOCUMENT_BYTES = 64 * 1024**2
MAX_MARKDOWN_BYTES = 16 * 1024**2

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_NAME = re.compile(r"^analys(?:-(t1|t2|helar|0[1-9]|1[0-2]))?\.(docx|md|doc|docm|odt|rtf)$", re.I)
_PREFERRED = ("docx", "md", "doc", "docm", "odt", "rtf")


def find(folder: Path) -> dict[str, Path]:
    """The analysis files of an inputs folder by the period they are for: ``""`` for
    analys.docx (any period), ``"T2"`` for analys-T2.docx, ``"08"`` for analys-08.docx (the
    report file's suffix, ``Period.suffix``). .docx is preferred to .md; a .doc is found so
    that its reader says why it is refused. Names are matched without regard to case."""
    try:
        names = sorted(p for p in folder.iterdir() if files.present(p) and not unshowable(p.name))
    except OSError:
        return {}
    found: dict[str, Path] = {}
    for p in sorted(
        names,
        key=lambda p: (
            _PREFERRED.index(p.suffix.lower()[1:]) if p.suffix.lower()[1:] in _PREFERRED else 9
        ),
    ):
        m = _NAME.match(p.name)
        if m is None:
            continue
        key = (m.group(1) or "").upper().replace("HELAR", "helar")
        found.setdefault(key, p)
    return dict(sorted(found.items()))


def read(path: Path, display: str | None = None) -> tuple[Source | None, list[Diagnostic]]:
    """The document's headings and blocks; or None and the error that says why not."""
    display = display or printable(path.name)
    suffix = path.suffix.lower()
    try:
        if suffix == ".md":
            return _read_markdown(path, display)
        if suffix == ".docx":
            return _read_docx(path, display), []
    except UnreadableFile as exc:
        return None, [exc.diagnostic]
    return None, [
        Diagnostic(
            "E036",
            f"{display} har ett format som inte kan läsas"
            + (" (Word 97–2003)" if suffix == ".doc" else ""),
            file=display,
            value=path.suffix,
            expected=".docx (Word) eller .md (Markdown)",
        )
    ]


def _refused(display: str, what: str) -> UnreadableFile:
    return UnreadableFile(
        Diagnostic(
            "E035",
            f"filen är inget läsbart Word-dokument ({what})",
            file=display,
            expected="ett dokument sparat som Word-dokument (.docx) av Word eller LibreOffice",
        )
    )


def _read_docx(path: Path, display: str) -> Source:
    _guard(path, display)
    import docx

    try:
        document = docx.Document(str(path))
        return _Walk(document, display).source()
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged part
        raise _refused(display, f"{type(exc).__name__}") from exc


def _guard(path: Path, display: str) -> None:
    """What python-docx may open: a zip that passed the workbooks' guard, with a
    word/document.xml of a sensible size; else the error that says why not."""
    kind = files.sniff(files.read_head(path, display, 8))
    if kind == files.OLE:
        # An OLE file: Word encrypts a .docx into one; a .doc renamed is one too.
        raise UnreadableFile(
            Diagnostic(
                "E007",
                "filen är lösenordsskyddad (krypterad) eller ett Word 97–2003-dokument med "
                "fel filändelse, och kan inte läsas",
                file=display,
                expected="ett Word-dokument (.docx) utan lösenord",
            )
        )
    if kind != files.ZIP:
        raise _refused(display, f"den är {files.FOUND[kind]}")
    try:
        inspect(path, display)  # the zip guard: sizes, CRCs, encryption, member count
    except UnreadableFile as exc:
        if exc.diagnostic.code == "E002":
            raise _refused(display, "trasig eller manipulerad zip-fil") from exc
        raise
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("word/document.xml")
    except KeyError as exc:
        raise _refused(display, "word/document.xml saknas") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refused(display, "zip-filen kan inte läsas") from exc
    if info.file_size > MAX_DOCUMENT_BYTES:
        raise UnreadableFile(
            Diagnostic(
                "E008",
                f"dokumentets text packas upp till {info.file_size // 1024**2} MB",
                file=display,
                expected=f"högst {MAX_DOCUMENT_BYTES // 1024**2} MB",
            )
        )


_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*([0-9])$", re.IGNORECASE)
_TITLE_STYLE = {"title", "rubrik", "titel"}


class _Walk:
    """The body of a Word document, element by element, as entries."""

    def __init__(self, document: Any, display: str) -> None:
        self.document = document
        self.display = display
        self.styles: dict[str, Any] = {}
        for el in document.styles.element.findall(_w("style")):
            sid = el.get(_w("styleId"))
            if sid:
                self.styles[sid] = el
        self.numbering: Any = None
        try:
            self.numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            self.numbering = None
        self.notes = _notes(document)
        self.entries: list[Entry] = []
        self.count = 0
        self.pending: list[tuple[Item, bool]] = []
        self.pending_where = ""

    def source(self) -> Source:
        self._children(self.document.element.body)
        self._flush()
        return Source(self.display, tuple(self.entries))

    def _children(self, parent: Any) -> None:
        for child in parent:
            tag = child.tag
            if tag == _w("p"):
                self._paragraph(child)
            elif tag == _w("tbl"):
                self._table(child)
            elif tag == _w("sdt"):
                content = child.find(_w("sdtContent"))
                if content is not None:
                    self._children(content)
            elif tag in (_w("customXml"), f"{{{MC}}}AlternateContent"):
                inner = child.find(f"{{{MC}}}Choice") if "AlternateContent" in tag else child
                if inner is not None:
                    self._children(inner)
            elif isinstance(tag, str) and tag != _w("sectPr") and _text_of(child).strip():
                # Anything else that holds text is kept as a paragraph, never passed over.
                self.count += 1
                self._add(Paragraph((Run(_text_of(child)),)), f"stycke {self.count}")

    def _style_chain(self, sid: str | None) -> list[Any]:
        chain = []
        seen = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            el = self.styles[sid]
            chain.append(el)
            based = el.find(_w("basedOn"))
            sid = based.get(_w("val")) if based is not None else None
        return chain

    def _paragraph(self, p: Any) -> None:
        self.count += 1
        where = f"stycke {self.count}"
        ppr = p.find(_w("pPr"))
        sid = None
        if ppr is not None:
            ps = ppr.find(_w("pStyle"))
            sid = ps.get(_w("val")) if ps is not None else None
        chain = self._style_chain(sid)
        names = [(_name(el) or "") for el in chain]
        if names and names[0] == GENERATED_STYLE:
            return
        runs = _runs(p, self.notes)
        level = _heading_level(ppr, chain, names)
        if level is not None:
            self._add(Heading(runs, level), where)
            return
        numbered = _numbering(ppr, chain)
        if numbered is not None:
            num_id, ilvl = numbered
            if num_id != "0":
                ordered = self._ordered(num_id, ilvl, names)
                if not self.pending:
                    self.pending_where = where
                elif self.pending[-1][1] != ordered and ilvl == 0:
                    self._flush()
                    self.pending_where = where
                self.pending.append((Item(runs, ilvl), ordered))
                return
        if not any(r.text.strip() for r in runs):
            self._flush()
            return  # an empty paragraph holds nothing
        self._add(Paragraph(runs), where)

    def _ordered(self, num_id: str, ilvl: int, names: list[str]) -> bool:
        if any("number" in n.lower() or "numrer" in n.lower() for n in names):
            return True
        if any("bullet" in n.lower() or "punkt" in n.lower() for n in names):
            return False
        if self.numbering is None:
            return False
        for num in self.numbering.findall(_w("num")):
            if num.get(_w("numId")) != num_id:
                continue
            abstract = num.find(_w("abstractNumId"))
            aid = abstract.get(_w("val")) if abstract is not None else None
            for an in self.numbering.findall(_w("abstractNum")):
                if an.get(_w("abstractNumId")) != aid:
                    continue
                for lvl in an.findall(_w("lvl")):
                    if lvl.get(_w("ilvl")) == str(ilvl):
                        fmt = lvl.find(_w("numFmt"))
                        value = fmt.get(_w("val")) if fmt is not None else "bullet"
                        return value not in ("bullet", "none")
        return False

    def _table(self, tbl: Any) -> None:
        self.count += 1
        where = f"stycke {self.count} (tabell)"
        rows = []
        for tr in tbl.iter(_w("tr")):
            if _inside(tr, tbl, _w("tbl")):
                continue  # a nested table's rows are read as its cell's text
            cells = []
            for tc in tr.findall(_w("tc")) + [
                tc for sdt in tr.findall(_w("sdt")) for tc in sdt.iter(_w("tc"))
            ]:
                # Every paragraph of the cell (a nested table's too), but not one inside
                # another (a text box: read with the paragraph that holds it).
                paragraphs = [p for p in tc.iter(_w("p")) if not _inside(p, tc, _w("p"))]
                runs: list[Run] = []
                for i, p in enumerate(paragraphs):
                    if i and runs:
                        runs.append(Run("\n"))
                    runs.extend(_runs(p, self.notes))
                cells.append(_merge(runs))
            rows.append(tuple(cells))
        if any(any(r.text.strip() for c in row for r in c) for row in rows):
            self._add(Table(tuple(rows)), where)

    def _add(self, block: Block, where: str) -> None:
        self._flush()
        self.entries.append(Entry(block, where))

    def _flush(self) -> None:
        if self.pending:
            items = tuple(item for item, _ in self.pending)
            self.entries.append(Entry(ListBlock(items, self.pending[0][1]), self.pending_where))
            self.pending = []


def _inside(el: Any, stop: Any, tag: str) -> bool:
    """Whether ``el`` stands inside an element ``tag`` below ``stop``."""
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _name(style: Any) -> str | None:
    el = style.find(_w("name"))
    if el is None:
        return None
    name = el.get(_w("val")) or ""
    # Word's built-in styles are stored in lower case ("heading 1"); python-docx shows them
    # capitalised. Either matches.
    return name


def _heading_level(ppr: Any, chain: list[Any], names: list[str]) -> int | None:
    for name in names:
        m = _HEADING_STYLE.match(name.strip())
        if m:
            return int(m.group(1))
        if name.strip().lower() in _TITLE_STYLE:
            return 0
    for el in [ppr, *(s.find(_w("pPr")) for s in chain)]:
        if el is None:
            continue
        outline = el.find(_w("outlineLvl"))
        if outline is not None:
            try:
                level = int(outline.get(_w("val")) or "9")
            except ValueError:
                continue
            if level < 9:  # 9 = body text
                return level + 1
    return None


def _numbering(ppr: Any, chain: list[Any]) -> tuple[str, int] | None:
    for el in [ppr, *(s.find(_w("pPr")) for s in chain)]:
        if el is None:
            continue
        num = el.find(_w("numPr"))
        if num is None:
            continue
        nid = num.find(_w("numId"))
        lvl = num.find(_w("ilvl"))
        try:
            level = int(lvl.get(_w("val"))) if lvl is not None else 0
        except (TypeError, ValueError):
            level = 0
        return (nid.get(_w("val")) if nid is not None else "0") or "0", max(0, min(level, 8))
    return None


_SKIP = {_w("del"), _w("moveFrom"), f"{{{MC}}}Fallback", _w("instrText"), _w("delText")}


def _on(el: Any) -> bool:
    if el is None:
        return False
    val = (el.get(_w("val")) or "true").lower()
    return val not in ("0", "false", "off", "none")


def _runs(p: Any, notes: dict[tuple[str, str], str] | None = None) -> Runs:
    """The paragraph's text as runs: every w:r below it (hyperlinks, fields, insertions,
    content controls, the paragraphs of its text boxes), but not deleted text or a
    drawing's fallback copy."""
    out: list[Run] = []
    for r in p.iter(_w("r"), f"{{{M}}}r"):
        if _skipped(r, p):
            continue
        text = "".join(_char(child) for child in r)
        for kind in ("footnote", "endnote"):
            ref = r.find(_w(f"{kind}Reference"))
            if ref is not None and notes:
                note = notes.get((kind, ref.get(_w("id")) or ""), "")
                text += (
                    f" [{'fotnot' if kind == 'footnote' else 'slutnot'}: {note}]" if note else ""
                )
        if text:
            out.append(Run(text, *_format(r.find(_w("rPr")))))
    return _merge(out)


# What a run's elements other than w:t stand for.
_CHARS = {
    _w("tab"): "\t",
    _w("br"): "\n",
    _w("cr"): "\n",
    _w("noBreakHyphen"): "\u2011",
    _w("softHyphen"): "\u00ad",
}


def _char(el: Any) -> str:
    if el.tag in (_w("t"), f"{{{M}}}t"):
        return str(el.text or "")
    return _CHARS.get(el.tag, "")


def _notes(document: Any) -> dict[tuple[str, str], str]:
    """The document's footnotes and endnotes by (kind, id): their text is printed where the
    reference stands, so that nothing written is lost."""
    from docx.oxml.parser import parse_xml  # python-docx's parser: entities not resolved

    out: dict[tuple[str, str], str] = {}
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        kind = "footnote" if name.endswith("/footnotes.xml") else "endnote"
        if not name.endswith(("/footnotes.xml", "/endnotes.xml")):
            continue
        root = parse_xml(part.blob)
        for note in root.findall(_w(kind)):
            text = " ".join(
                "".join(r.text for r in runs if r.text)
                for runs in [_runs(p) for p in note.iter(_w("p"))]
            ).strip()
            out[(kind, note.get(_w("id")) or "")] = text
    return out


def _format(rpr: Any) -> tuple[bool, bool]:
    """A run's bold and italic: set directly, or by the Strong and Emphasis styles."""
    if rpr is None:
        return False, False
    rs = rpr.find(_w("rStyle"))
    style = (rs.get(_w("val")) or "").lower() if rs is not None else ""
    bold = _on(rpr.find(_w("b"))) or style in ("strong", "stark")
    italic = _on(rpr.find(_w("i"))) or style in ("emphasis", "betoning")
    return bold, italic


def _skipped(el: Any, stop: Any) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _SKIP:
            return True
        parent = parent.getparent()
    return False


def _merge(runs: list[Run]) -> Runs:
    """Adjacent runs of one formatting as one (Word splits text into many runs)."""
    merged: list[Run] = []
    for r in runs:
        if merged and (merged[-1].bold, merged[-1].italic) == (r.bold, r.italic):
            merged[-1] = Run(merged[-1].text + r.text, r.bold, r.italic)
        elif r.text:
            merged.append(r)
    return tuple(merged)


def _text_of(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(_w("t")))


# -- Markdown ------------------------------------------------------------------------------


def _read_markdown(path: Path, display: str) -> tuple[Source, list[Diagnostic]]:
    raw = files.read_bytes(path, display, MAX_MARKDOWN_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            Diagnostic(
                "E035",
                f"filen är ingen UTF-8-text (byte {exc.start + 1} kan inte läsas)",
                file=display,
                expected="en Markdown-fil sparad som UTF-8",
            )
        ) from exc
    entries, kept = markdown_checked(text)
    return Source(display, tuple(entries)), [_kept_warning(display, kept)] if kept else []


# Nesting markdown-it follows (its CommonMark preset stops at 20 and drops what is deeper);
# 300 is far beyond any document and within Python's recursion (1 000 is not).
MAX_NESTING = 300
_WORDS = re.compile(r"[^\W_]+")
_LABEL = re.compile(r"\]\[[^\]]*\]")
_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)")


def markdown_entries(text: str) -> list[Entry]:
    """Markdown's headings and blocks as entries (``rad N``: the block's first line)."""
    return markdown_checked(text)[0]


def markdown_checked(text: str) -> tuple[list[Entry], list[int]]:
    """The entries, with every source line whose words the parse did not keep (a link
    reference definition, nesting beyond ``MAX_NESTING``) added as written at its place;
    and those lines' numbers."""
    from markdown_it import MarkdownIt

    text = text.replace("\x00", "\ufffd")
    md = MarkdownIt("commonmark").enable("table")
    md.options["maxNesting"] = MAX_NESTING
    walk = _MarkdownWalk(md.parse(text))
    walk.run()
    return _keep_unparsed(text, walk.out)


def _keep_unparsed(text: str, entries: list[Entry]) -> tuple[list[Entry], list[int]]:
    import html
    from collections import Counter

    from budget.core.analysis import block_text

    output = "\n".join(block_text(e.block) for e in entries)
    kept_words = Counter(_WORDS.findall(output))

    def counted(line: str) -> list[str]:
        """A line's words, but the markup of reference links: ``[text][label]``'s label,
        and a definition ``[label]: target`` whose target the text shows."""
        line = _LABEL.sub("]", html.unescape(line))
        m = _DEFINITION.match(line)
        return [] if m and m.group(1) in output else _WORDS.findall(line)

    lines = text.splitlines()
    lost = Counter(w for line in lines for w in counted(line)) - kept_words
    if not lost:
        return entries, []
    # The lines most of whose words were lost first: a word's lost occurrence is put on the
    # line that lost most, not on the first line that has the word.
    words_of = {n: counted(line) for n, line in enumerate(lines, 1)}

    def share(n: int) -> float:
        words = words_of[n]
        return sum(lost[w] > 0 for w in words) / len(words) if words else 0.0

    added: list[tuple[int, Entry]] = []
    for n in sorted((n for n in words_of if share(n) > 0), key=lambda n: (-share(n), n)):
        words = words_of[n]
        if any(lost[w] > 0 for w in words):
            for w in words:
                lost[w] -= 1
            added.append((n, Entry(Paragraph((Run(lines[n - 1].strip()),)), f"rad {n}")))
    added.sort(key=lambda t: t[0])

    def start(e: Entry) -> int:
        return int(e.where.split()[1]) if e.where.split()[1:2] != ["?"] else 0

    merged = sorted(
        [(start(e), 0, i, e) for i, e in enumerate(entries)]
        + [(n, 1, i, e) for i, (n, e) in enumerate(added)],
        key=lambda t: (t[0], t[1], t[2]),
    )
    return [e for *_, e in merged], [n for n, _ in added]


def _kept_warning(display: str, lines: list[int]) -> Diagnostic:
    shown = ", ".join(str(n) for n in lines[:10]) + (" …" if len(lines) > 10 else "")
    return Diagnostic(
        "W346",
        f"{len(lines)} rader kunde inte tolkas som Markdown och står kvar som de skrevs "
        f"(rad {shown})",
        file=display,
        cell=f"rad {lines[0]}",
        expected="stycken, listor (högst 100 nivåer), tabeller och rubriker med #",
    )


def _line(tok: Any) -> str:
    return f"rad {tok.map[0] + 1}" if tok.map else "rad ?"


class _MarkdownWalk:
    """markdown-it's tokens as entries: headings, paragraphs, lists (nested items with their
    level), tables, and code, HTML and quotes kept as text."""

    def __init__(self, tokens: list[Any]) -> None:
        self.tokens = tokens
        self.out: list[Entry] = []
        self.lists: list[tuple[list[Item], bool, str]] = []

    def run(self) -> None:
        i = 0
        while i < len(self.tokens):
            i = self.step(i)

    def step(self, i: int) -> int:
        tok = self.tokens[i]
        kind = tok.type
        if kind == "heading_open":
            self.out.append(
                Entry(Heading(_inline(self.tokens[i + 1]), int(tok.tag[1:])), _line(tok))
            )
            return i + 3
        if kind == "table_open":
            return self.table(i)
        if kind in ("bullet_list_open", "ordered_list_open"):
            self.lists.append(([], kind == "ordered_list_open", _line(tok)))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            items, ordered, at = self.lists.pop()
            if self.lists:
                self.lists[-1][0].extend(items)
            else:
                self.out.append(Entry(ListBlock(tuple(items), ordered), at))
        elif kind == "inline" and self.lists:
            self.lists[-1][0].append(Item(_inline(tok), len(self.lists) - 1))
        elif kind == "inline":
            self.out.append(Entry(Paragraph(_inline(tok)), _line(self.tokens[i - 1])))
        elif kind in ("fence", "code_block", "html_block") and tok.content.strip():
            info = (tok.info or "").strip() if kind == "fence" else ""
            body = (f"{info}\n" if info else "") + tok.content.rstrip("\n")
            body = body[:MAX_CELL_TEXT]
            self.out.append(Entry(Paragraph((Run(body),)), _line(tok)))
        return i + 1

    def table(self, i: int) -> int:
        start = self.tokens[i]
        rows: list[tuple[Runs, ...]] = []
        row: list[Runs] = []
        i += 1
        while self.tokens[i].type != "table_close":
            t = self.tokens[i]
            if t.type == "tr_open":
                row = []
            elif t.type == "inline":
                row.append(_inline(t))
            elif t.type == "tr_close":
                rows.append(tuple(row))
            i += 1
        self.out.append(Entry(Table(tuple(rows)), _line(start)))
        return i + 1


def _inline(tok: Any) -> Runs:
    out: list[Run] = []
    depth = {"strong": 0, "em": 0}
    links: list[tuple[str, int]] = []  # each open link's target and where its text began
    for child in tok.children or []:
        kind = child.type
        name, _, edge = kind.rpartition("_")
        if name in depth and edge in ("open", "close"):
            depth[name] = max(0, depth[name] + (1 if edge == "open" else -1))
            continue
        text = _INLINE.get(kind)
        if text is None:
            text = child.content if kind in ("text", "code_inline", "html_inline") else ""
        if kind == "image":
            alt = "".join(c.content for c in child.children or [])
            text = f"{alt} ({child.attrs.get('src', '')})" if child.attrs.get("src") else alt
        elif kind == "link_open":
            links.append((str(child.attrs.get("href", "")), len(out)))
        elif kind == "link_close" and links:
            # The target is written too: the text alone would lose what the link says.
            href, began = links.pop()
            if href and href != "".join(r.text for r in out[began:]):
                text = f" ({href})"
        if text:
            out.append(Run(text, depth["strong"] > 0, depth["em"] > 0))
    return _merge(out)


_INLINE = {"softbreak": " ", "hardbreak": "\n"}
