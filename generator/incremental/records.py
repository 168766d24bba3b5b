"""Validation without reading unchanged records again.

A data file in Gongkai's canonical format (import and synth output, `sources.yaml_writer`) is a run
of records, each starting on a line that begins with "- ".  Each record's exact text (its *span*)
is digested together with the file's path; what checking that text gave — the record, its slim
raw record and its problems, with lines counted from the record's first line — is kept under that
digest.  When a file changes, it is split into spans again and only spans whose digest is new are
read and checked: an edited record in an 84 MB year file costs milliseconds, not seconds.

The digest is also the record's identity for everything the build derives from it later
(`Entry.digest`): equal digests mean equal text at the same path, so equal records.

Records are stored in groups cut at content-defined boundaries (after a record whose digest starts
with a small byte), so inserting or editing a record rewrites one group of ~64, and loading a year
file is a few dozen bulk unpickles rather than thousands of small ones.  A file the fast reader
cannot read (hand-written YAML with comments, anchors …) is cached whole, by the file's digest.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from generator.incremental.keys import digest_bytes
from generator.incremental.store import Store
from generator.problems import Problem
from generator.schema.models import Record
from generator.sources.raw import PackedRaw, RawRecord, ShiftedRaw
from generator.sources.yaml_fast import read_canonical
from generator.validate import FileJob, FileResult, check_record, key_form, slim

_MAX_GROUP = 256
_BOUNDARY_BELOW = 4  # a group ends after a record whose digest's first byte is below this: 1 in 64
_POSITIONAL = "记录 "  # the label of a record without a key: its position in the file, not its own


class Item(NamedTuple):
    """One record as checked, positions relative to its first line (line 1)."""

    digest: bytes
    lines: int  # lines the record's text takes in the file
    record: Record | None  # None when it did not convert (its problems say why)
    raw: PackedRaw | None  # the slim raw record, packed: only a problem reads it
    problems: tuple[Problem, ...]
    form: str  # key_form of the record's key ("" without a record)


@dataclass
class CachedFile:
    digest: bytes  # of the file's bytes
    groups: list[str]  # group names in file order
    whole: bool = False  # read by the general loader: one group, positions absolute
    file_problems: tuple[Problem, ...] = ()  # the general loader's problems (whole files only)
    # (size, mtime, ctime, inode) when the digest was taken: the same four later mean the same bytes
    # (make and ninja trust the mtime alone; the ctime, which no tool can set back, also catches
    # an edit whose mtime was restored), so the file need not be read to know it is unchanged.
    stat: tuple[int, ...] = ()


def _stat(path: Path) -> tuple[int, ...]:
    info = path.stat()
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


class Spans:
    """The records' texts of a file in canonical layout, as ranges of the file's bytes (not copied:
    an 84 MB year file has 60k records, and only the changed ones are read)."""

    def __init__(self, data: bytes, starts: list[int], display: str) -> None:
        self.data, self.starts, self._view = data, starts, memoryview(data)
        self._path = display.encode()

    def __len__(self) -> int:
        return len(self.starts) - 1

    def text(self, i: int) -> bytes:
        return self.data[self.starts[i] : self.starts[i + 1]]

    def lines(self, i: int) -> int:
        return self.data.count(b"\n", self.starts[i], self.starts[i + 1])

    def digest(self, i: int) -> bytes:
        """The record's identity: its file's path and its exact text."""
        return digest_bytes(self._path, self._view[self.starts[i] : self.starts[i + 1]])


def split_spans(data: bytes, display: str) -> Spans | None:
    """The records of a file in canonical layout, or None when the file cannot be one."""
    if not data.startswith(b"- ") or not data.endswith(b"\n"):
        return None
    # Inside a record every line is indented (block scalars and list items too), so a line that
    # starts with "- " starts a record.  The spans joined give the file back exactly.
    starts, find, at = [0], data.find, data.find(b"\n- ")
    while at >= 0:
        starts.append(at + 1)
        at = find(b"\n- ", at + 1)
    starts.append(len(data))
    return Spans(data, starts, display)


def _relative(problem: Problem, start: int) -> Problem:
    return dataclasses.replace(problem, line=problem.line - start + 1)


def _absolute(problem: Problem, start: int) -> Problem:
    return dataclasses.replace(problem, line=problem.line + start - 1)


def _relative_raw(raw: RawRecord, start: int) -> RawRecord:
    shift = 1 - start
    values = {h: v._replace(line=v.line + shift) for h, v in raw.values.items()}
    return RawRecord(raw.path, raw.line + shift, raw.column, raw.label, values, raw.reported)


class RecordCache:
    """The validation cache of one project: see the module docstring.  `key` names everything the
    checks depend on besides the text (code version, settings)."""

    def __init__(self, store: Store, key: str) -> None:
        self.store = store
        self.key = key
        manifest = store.load("records/files", key)
        self.files: dict[str, CachedFile] = manifest if isinstance(manifest, dict) else {}
        self.groups: dict[str, list[Item]] = {}  # loaded or new, by name
        self.new_groups: set[str] = set()
        self.now: dict[str, CachedFile] = {}  # this run's files

    # --- reading -------------------------------------------------------------------------------

    def _group(self, name: str) -> list[Item] | None:
        if name not in self.groups:
            items = self.store.load(f"records/{name}", self.key)
            if not isinstance(items, list):
                return None
            self.groups[name] = items
        return self.groups[name]

    def _items(self, cached: CachedFile) -> list[Item] | None:
        items: list[Item] = []
        for name in cached.groups:
            group = self._group(name)
            if group is None:
                return None
            items += group
        return items

    def reuse(self, job: FileJob) -> FileResult | None:
        kind, path, display, settings = job
        cached = self.files.get(display)
        if cached is None:
            return None
        try:
            stat = _stat(path)
            if stat == cached.stat:
                return self._unchanged(display, cached)
            data = path.read_bytes()
        except OSError:
            return None
        digest = digest_bytes(data)
        if digest == cached.digest:
            return self._unchanged(display, dataclasses.replace(cached, stat=stat))
        if cached.whole:
            return None
        old = self._items(cached)
        spans = split_spans(data, display)
        if old is None or spans is None:
            return None
        known = {item.digest: item for item in old if not (item.raw and item.raw.label.startswith(_POSITIONAL))}
        items: list[Item] = []
        line = 1
        for index in range(len(spans)):
            span_digest = spans.digest(index)
            item = known.get(span_digest)
            if item is None:
                item = _check_span(kind, spans.text(index), span_digest, display, line, index, settings)
                if item is None:  # not canonical after all: the whole file is read the usual way
                    return None
            items.append(item)
            line += item.lines
        fresh = self._store_file(display, digest, items, stat)
        return _result(items, fresh)

    def _unchanged(self, display: str, cached: CachedFile) -> FileResult | None:
        items = self._items(cached)
        if items is None:
            return None
        self.now[display] = cached
        return _result(items, cached)

    # --- remembering what was checked the usual way ----------------------------------------------

    def remember(self, job: FileJob, result: FileResult) -> FileResult:
        """Keep a file checked by the general path, split into records when it is canonical (the
        records then start exactly where the spans do); returns the result with digests added."""
        _kind, path, display, _settings = job
        try:
            stat = _stat(path)
            data = path.read_bytes()
        except OSError:
            return result
        digest = digest_bytes(data)
        spans = split_spans(data, display)
        items = _items_from(result, spans, display) if spans is not None else None
        if items is None:  # one whole group, positions absolute, digest = the file's
            whole = [
                Item(digest_bytes(digest, str(i).encode()), 0, record, PackedRaw.of(raw), (), key_form(record.key))  # type: ignore[attr-defined, arg-type]
                for i, (record, raw) in enumerate(result.converted)
            ]
            name = digest_bytes(b"whole", digest).hex()
            self._put_group(name, whole)
            self.now[display] = CachedFile(digest, [name], True, tuple(result.problems), stat)
            return FileResult(result.converted, result.problems, [i.digest for i in whole], [i.form for i in whole])
        cached = self._store_file(display, digest, items, stat)
        return _result(items, cached)

    def _store_file(self, display: str, digest: bytes, items: list[Item], stat: tuple[int, ...]) -> CachedFile:
        names = []
        for group in _grouped(items):
            name = digest_bytes(b"".join(i.digest for i in group)).hex()
            self._put_group(name, group)
            names.append(name)
        cached = CachedFile(digest, names, stat=stat)
        self.now[display] = cached
        return cached

    def _put_group(self, name: str, items: list[Item]) -> None:
        if name not in self.groups:
            self.groups[name] = items
            self.new_groups.add(name)

    # --- saving ----------------------------------------------------------------------------------

    def save(self) -> None:
        """Write the new groups and this run's file list; drop groups no file refers to any more."""
        used = {name for cached in self.now.values() for name in cached.groups}
        for name in sorted(self.new_groups & used):
            if not self.store.save(f"records/{name}", self.key, self.groups[name]):
                return  # a read-only or full disk: the next build simply finds less in the cache
        self.store.save("records/files", self.key, self.now)
        for stale in self.store.names("records/") - {f"records/{n}" for n in used} - {"records/files"}:
            self.store.remove(stale)


def _grouped(items: list[Item]) -> Iterable[list[Item]]:
    group: list[Item] = []
    for item in items:
        group.append(item)
        if item.digest[0] < _BOUNDARY_BELOW or len(group) >= _MAX_GROUP:
            yield group
            group = []
    if group:
        yield group


def _check_span(kind, span: bytes, digest: bytes, display: str, line: int, index: int, settings) -> Item | None:  # noqa: ANN001
    """Read and check one record's text as the whole-file reader would at `line`."""
    try:
        text = span.decode("utf-8")
    except UnicodeDecodeError:
        return None
    raws = read_canonical(text, display, kind.key_header)
    if raws is None or len(raws) != 1:
        return None
    raw = raws[0]
    if raw.label.startswith(_POSITIONAL):
        raw.label = f"{_POSITIONAL}{index + 1}"
    record, problems = check_record(kind, raw, settings)  # positions from line 1: relative already
    form = key_form(record.key) if record is not None else ""  # type: ignore[attr-defined]
    kept = PackedRaw.of(slim(raw)) if record is not None else None
    return Item(digest, span.count(b"\n"), record, kept, tuple(problems), form)


def _items_from(result: FileResult, spans: Spans, display: str) -> list[Item] | None:
    """Cache items for a canonical file checked whole: its records and problems, by span."""
    starts, line = [], 1
    for index in range(len(spans)):
        starts.append(line)
        line += spans.lines(index)
    by_start = {raw.line: (record, raw) for record, raw in result.converted}
    if len(by_start) != len(result.converted) or not set(by_start) <= set(starts):
        return None
    problems_at: dict[int, list[Problem]] = {}
    ends = [*starts[1:], line]
    for problem in result.problems:
        span_index = _span_of(starts, problem.line)
        if problem.path != display or span_index is None:
            return None  # a problem of the file itself: keep the file whole
        problems_at.setdefault(span_index, []).append(problem)
    items = []
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        record, raw = by_start.get(start, (None, None))
        own = tuple(_relative(p, start) for p in problems_at.get(index, ()))
        form = key_form(record.key) if record is not None else ""  # type: ignore[attr-defined]
        kept = PackedRaw.of(_relative_raw(raw, start)) if isinstance(raw, RawRecord) else None
        items.append(Item(spans.digest(index), end - start, record, kept, own, form))
    return items


def _span_of(starts: list[int], line: int) -> int | None:
    at = bisect.bisect_right(starts, line) - 1
    return at if at >= 0 else None


def _result(items: list[Item], cached: CachedFile) -> FileResult:
    """The FileResult of cached items, at the lines they stand on in the file now."""
    if cached.whole:
        return FileResult(
            [(i.record, ShiftedRaw(i.raw, 0)) for i in items if i.record is not None and i.raw is not None],
            list(cached.file_problems),
            [i.digest for i in items],
            [i.form for i in items],
        )
    converted: list[tuple[Record, RawRecord | ShiftedRaw]] = []
    problems: list[Problem] = []
    digests: list[bytes] = []
    forms: list[str] = []
    start = 1
    for digest, lines, record, raw, own, form in items:
        if record is not None and raw is not None:
            converted.append((record, ShiftedRaw(raw, start - 1)))
            digests.append(digest)
            forms.append(form)
        if own:
            problems += (_absolute(p, start) for p in own)
        start += lines
    return FileResult(converted, problems, digests, forms)
