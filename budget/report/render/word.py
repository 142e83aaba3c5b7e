"""Word output with python-docx: the one place a document becomes bytes (as ``xlsx.to_bytes``
is for workbooks).

The same document gives the same bytes: its core properties are the caller's (the dates one
given stamp, never the clock, none of python-docx's template defaults), no thumbnail of
another document, and the zip's entry times and order fixed (``xlsx.normalise_zip``).
"""

from __future__ import annotations

import io
from datetime import datetime

from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from budget.report.render.cells import xml_text
from budget.report.render.xlsx import normalise_zip

MAX_PROPERTY = 255  # characters of a document property (python-docx refuses more)
LANGUAGE = "sv-SE"


def property_text(text: str) -> str:
    """A document property: on one line, XML-legal (``cells.xml_text``), cut visibly to its
    limit."""
    shown = " ".join(xml_text(text).split())
    return shown if len(shown) <= MAX_PROPERTY else shown[: MAX_PROPERTY - 1] + "…"


def to_bytes(
    doc: WordDocument,
    stamp: datetime,
    *,
    title: str,
    author: str = "budget",
    subject: str = "",
    modified_by: str = "budget",
) -> bytes:
    """Serialise deterministically: ``stamp`` as the created, modified and printed dates,
    the given title, author, subject and last editor, the other text properties empty,
    Swedish as the language, revision 1."""
    when = stamp.replace(tzinfo=None, microsecond=0)
    props = doc.core_properties
    props.title = property_text(title)
    props.subject = property_text(subject)
    props.author = property_text(author)
    props.last_modified_by = property_text(modified_by)
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.language = LANGUAGE
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rel_id]
    raw = io.BytesIO()
    doc.save(raw)
    return normalise_zip(raw.getvalue(), when)
