"""Bulk import of registry CSV files (layouts in :mod:`motorcred.services.registry_csv`).

Every row is validated by the domain; a bad row is reported with its line
number, stable code and reason, and every good row is kept. Rows are matched
to stored records by natural key (ID number, VIN) and compared by content, so
importing the same file again changes nothing.

Rows are written in batches, one unit of work each: a batch that clashes with
the database (a file number or plate already used by another record) is
retried row by row, so only the clashing row is rejected. A run stopped half
way leaves whole batches behind and is finished by running it again.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from motorcred.adapters.db.uow import UnitOfWork
from motorcred.errors import InvalidInput, MotorcredError, UsageError
from motorcred.services.registry_csv import (
    KINDS,
    DriverRow,
    VehicleRow,
    parse_driver,
    parse_vehicle,
)
from motorcred.services.registry_import_writer import Outcome, write_drivers, write_vehicles
from motorcred.services.registry_store import Clock

BATCH_SIZE = 500
MAX_REJECTIONS_KEPT = 10_000
"""A report lists at most this many rejected rows (the count is always exact)."""

Progress = Callable[[int], None]
"""Called with the number of rows just processed."""


@dataclass(frozen=True)
class Rejection:
    line: int
    code: str
    reason: str
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "code": self.code, "reason": self.reason, "field": self.field}


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected_count: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def reject(self, line: int, error: MotorcredError) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_REJECTIONS_KEPT:
            name = error.details.get("field")
            self.rejected.append(
                Rejection(line, error.code, error.message, name if isinstance(name, str) else None)
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected_count,
            "rejections": [r.to_dict() for r in self.rejected],
        }


Parsed = DriverRow | VehicleRow


def read_header(reader: Iterator[list[str]]) -> tuple[str, list[str]]:
    """The file kind and its column names; ``UsageError`` when the header is not a layout."""
    try:
        header = [h.strip().lstrip("\ufeff").lower() for h in next(reader)]
    except StopIteration:
        raise UsageError("IMPORT_EMPTY", "the file is empty (no header line)") from None
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise UsageError("IMPORT_COLUMN_DUPLICATE", f"columns repeated: {', '.join(duplicates)}")
    kind = "drivers" if "id_number" in header else "vehicles" if "vin" in header else None
    if kind is None:
        raise UsageError(
            "IMPORT_HEADER_UNKNOWN",
            "the header names neither a drivers file (id_number…) nor a vehicles file (vin…); "
            "see `motorcred registry import --help`",
        )
    required, known = KINDS[kind]
    unknown = sorted(set(header) - set(known))
    if unknown:
        raise UsageError(
            "IMPORT_COLUMN_UNKNOWN",
            f"unknown column(s) for a {kind} file: {', '.join(unknown)}",
            details={"known": list(known)},
        )
    missing = [c for c in required if c not in header]
    if missing:
        raise UsageError(
            "IMPORT_COLUMN_MISSING", f"a {kind} file needs column(s): {', '.join(missing)}"
        )
    return kind, header


class RegistryImportService:
    def __init__(self, unit_of_work: Callable[[], UnitOfWork], clock: Clock) -> None:
        self._uow = unit_of_work
        self._clock = clock

    def import_csv(self, lines: Iterable[str], *, progress: Progress | None = None) -> ImportReport:
        """Import a CSV text (any iterable of lines, e.g. a file opened with ``newline=""``)."""
        reader = csv.reader(lines)
        kind, header = read_header(reader)

        def rows() -> Iterator[tuple[int, dict[str, str] | None]]:
            line = reader.line_num
            for cells in reader:
                start, line = line + 1, reader.line_num
                if not any(c.strip() for c in cells):
                    continue  # blank line
                if len(cells) != len(header):
                    yield start, None
                    continue
                yield start, dict(zip(header, cells, strict=True))

        return self.import_rows(kind, rows(), progress=progress)

    def import_rows(
        self,
        kind: str,
        rows: Iterable[tuple[int, dict[str, str] | None]],
        *,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import ``(line number, row)`` pairs of a ``drivers`` or ``vehicles`` layout."""
        report = ImportReport(kind)
        today = self._clock().date()
        seen: dict[str, int] = {}
        batch: list[tuple[int, Parsed]] = []
        for line, row in rows:
            report.rows += 1
            parsed = self._parse(report, kind, line, row, today, seen)
            if parsed is not None:
                batch.append((line, parsed))
            if len(batch) >= BATCH_SIZE:
                self._write(report, batch)
                batch = []
            if progress is not None:
                progress(1)
        if batch:
            self._write(report, batch)
        return report

    @staticmethod
    def _parse(
        report: ImportReport,
        kind: str,
        line: int,
        row: dict[str, str] | None,
        today: Any,
        seen: dict[str, int],
    ) -> Parsed | None:
        if row is None:
            report.reject(
                line, UsageError("IMPORT_ROW_SHAPE", "the row has a wrong number of cells")
            )
            return None
        try:
            parsed: Parsed = (
                parse_driver(row, as_of=today) if kind == "drivers" else parse_vehicle(row)
            )
        except MotorcredError as error:
            report.reject(line, error)
            return None
        key = parsed.person.id_number if isinstance(parsed, DriverRow) else parsed.vehicle.vin
        if key in seen:
            what = "ID number" if kind == "drivers" else "VIN"
            duplicate = f"the same {what} is already on line {seen[key]}"
            report.reject(line, InvalidInput("IMPORT_DUPLICATE_ROW", duplicate))
            return None
        seen[key] = line
        return parsed

    def _write(self, report: ImportReport, batch: list[tuple[int, Parsed]]) -> None:
        try:
            outcomes = self._write_batch([p for _, p in batch])
        except MotorcredError:
            # Something in the batch clashes; find it by writing each row on its own.
            for line, parsed in batch:
                try:
                    (outcome,) = self._write_batch([parsed])
                except MotorcredError as error:
                    report.reject(line, error)
                else:
                    report.count(outcome)
            return
        for outcome in outcomes:
            report.count(outcome)

    def _write_batch(self, batch: list[Parsed]) -> list[Outcome]:
        now: datetime = self._clock()
        drivers = [p for p in batch if isinstance(p, DriverRow)]
        vehicles = [p for p in batch if isinstance(p, VehicleRow)]
        with self._uow() as uow:
            outcomes = write_drivers(uow, drivers, now) + write_vehicles(uow, vehicles, now)
            uow.commit()
        return outcomes
