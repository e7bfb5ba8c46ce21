"""Evidence from a spreadsheet: the CSV behind ``conceptmap evidence import``.

Columns (a header row is required, names in any order and case):

=============  ==========================================================================
``claim``      a claim id, a concept label, or a proposition written
               ``source concept | linking phrase | target concept`` (matched ignoring
               case, spacing and punctuation)
``stance``     supports | contradicts
``kind``       belief, anecdote, survey, interview-opinion, interview, support-ticket,
               review, analytics, observation, experiment, commitment
``source``     who or what the evidence comes from
``date``       YYYY-MM-DD, not after today (or the ``--as-of`` date)
optional       ``quote``, ``link``, ``n``, ``setting`` (real | lab), ``reliability`` (0–1)
=============  ==========================================================================

All rows or none: :func:`parse_evidence_csv` checks every row and raises one
:class:`~conceptmap.errors.InputError` listing every bad row (``FILE:row N: message``, rows
numbered as a spreadsheet shows them: the header is row 1), so nothing is attached until the
whole file is right. Commas, semicolons and tabs are recognised as separators; a UTF-8
byte-order mark (as Excel writes) is accepted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from conceptmap.errors import InputError, Problem
from conceptmap.model import EVIDENCE_KINDS, ConceptMap, Evidence

__all__ = ["COLUMNS", "REQUIRED", "EvidenceRow", "parse_evidence_csv", "read_evidence_csv"]

REQUIRED = ("claim", "stance", "kind", "source", "date")
OPTIONAL = ("quote", "link", "n", "setting", "reliability")
COLUMNS = REQUIRED + OPTIONAL
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class EvidenceRow:
    """One checked row: the claim it attaches to and the evidence fields."""

    row: int
    claim: str
    fields: dict[str, Any]


def _decode(data: bytes, path: str | None) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        row = data.count(b"\n", 0, err.start) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[err.start]:02x}); save the spreadsheet as CSV UTF-8",
            path=path,
            place=f"row {row}",
        ) from None


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _field_problems(err: ValidationError, row: int) -> list[Problem]:
    out = []
    for e in err.errors(include_url=False):
        field = ".".join(str(x) for x in e["loc"])
        msg = e["msg"].removeprefix("Value error, ")
        if field == "kind":
            msg = f"unknown kind; use one of {', '.join(EVIDENCE_KINDS)}"
        elif field == "stance":
            msg = "stance must be 'supports' or 'contradicts'"
        elif field == "setting":
            msg = "setting must be 'real' or 'lab'"
        elif field == "date":
            msg = "date must look like 2026-11-23"
        out.append(Problem(f"{field}: {msg}", f"row {row}"))
    return out


def parse_evidence_csv(
    data: bytes, m: ConceptMap, *, today: dt.date, path: str | None = None
) -> list[EvidenceRow]:
    """Check every row of an evidence CSV against map ``m``; see the module docstring."""
    if len(data) > MAX_BYTES:
        raise InputError(f"file is over the {MAX_BYTES // 2**20} MB limit for evidence", path=path)
    text = _decode(data, path)
    if not text.strip():
        raise InputError(
            "the file is empty (a header row and one row per evidence item are needed)", path=path
        )
    first = text.splitlines()[0]
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first), strict=True)
        rows = list(reader)
    except csv.Error as err:
        raise InputError(f"not valid CSV: {err}", path=path) from None
    header = [h.strip().lower() for h in rows[0]]
    problems: list[Problem] = []
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    dupes = sorted({h for h in header if header.count(h) > 1})
    if unknown:
        problems.append(
            Problem(f"unknown column {unknown[0]!r}; the columns are {', '.join(COLUMNS)}", "row 1")
        )
    if missing:
        problems.append(Problem(f"missing column {', '.join(repr(c) for c in missing)}", "row 1"))
    if dupes:
        problems.append(Problem(f"column {dupes[0]!r} appears twice", "row 1"))
    if problems:
        raise InputError(path=path, problems=problems)
    out: list[EvidenceRow] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # blank lines, as spreadsheets leave at the end
        place = f"row {number}"
        if len(cells) > len(header):
            problems.append(Problem(f"{len(cells)} cells but only {len(header)} columns", place))
            continue
        rec = {h: cells[i].strip() if i < len(cells) else "" for i, h in enumerate(header)}
        claim_text = rec.pop("claim")
        found = m.find_claims(claim_text) if claim_text else []
        if not claim_text:
            problems.append(Problem("claim is empty", place))
        elif not found:
            problems.append(Problem(f"unknown claim {claim_text!r}", place))
        elif len(found) > 1:
            problems.append(
                Problem(
                    f"ambiguous claim {claim_text!r}: it matches {len(found)} claims "
                    f"({', '.join(found[:3])}); give the id",
                    place,
                )
            )
        fields = {k: v for k, v in rec.items() if v != ""}
        for k in REQUIRED[1:]:
            if k not in fields:
                problems.append(Problem(f"{k} is empty", place))
        try:
            ev = Evidence.model_validate(
                {"id": "e-row", "claim": found[0] if found else "c-x", **fields}
            )
        except ValidationError as err:
            problems.extend(_field_problems(err, number))
            continue
        if ev.date > today:
            problems.append(Problem(f"date {ev.date} is in the future (after {today})", place))
            continue
        if len(found) == 1:
            out.append(EvidenceRow(number, found[0], ev.model_dump(exclude={"id", "claim"})))
    if problems:
        raise InputError(path=path, problems=problems)
    if not out:
        raise InputError("no evidence rows under the header", path=path, place="row 2")
    return out


def read_evidence_csv(
    path: str | os.PathLike[str], m: ConceptMap, *, today: dt.date
) -> list[EvidenceRow]:
    """Read and check an evidence CSV file (see :func:`parse_evidence_csv`)."""
    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a CSV file", path=name) from None
    return parse_evidence_csv(data, m, today=today, path=name)
