"""CSV cells that a spreadsheet cannot run as formulas (OWASP "CSV injection").

Excel, LibreOffice and Google Sheets evaluate a cell whose text starts with ``=``, ``+``,
``-`` or ``@`` (and, in some versions, a tab or a carriage return) as a formula, so a
project named ``=HYPERLINK(...)`` would run on the planner's machine. OWASP's advice:
prefix such a cell with a single quote, which spreadsheets show as text. Every CSV the
service writes goes through ``formula_safe_writer``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralize_cell(value: object) -> object:
    """Text starting with a formula character gets a leading ``'``; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class FormulaSafeWriter:
    """``csv.writer`` whose every cell is neutralized first."""

    def __init__(self, stream: _Writable, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([neutralize_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def formula_safe_writer(stream: _Writable, **kwargs: Any) -> FormulaSafeWriter:
    return FormulaSafeWriter(stream, **kwargs)
