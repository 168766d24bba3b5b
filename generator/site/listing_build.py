"""Writing a listing (penalties, accidents, power items, enterprises): its pages and filter data, in a
patch build only what changed.

A full build makes every row (listing_specs) and writes every page and data shard.  It also returns
a small memo (`ListingMemo`): a 16-byte key per row of everything the row is made from, in the
listing's order; per page, the fingerprint of its inputs and a digest of the file written; per data
shard the same.  The next patch build then

- makes each row's key (cheap: for a penalty it is the record's digest) and filter values (the
  dropdowns' options and the year links on every page are counted from them), not the rows;
- keeps a page whose inputs — its number, the keys of its rows and the surroundings every page
  shows (page count, options, year links; page 1 also the row count) — have the recorded
  fingerprint (a listing in date order is cut into pages from its oldest row, so a new decision
  changes page 1 alone: listings.page_span);
- writes the other pages, each row's <tr> taken from the page the previous build showed it on
  (when that file still has the recorded digest and lies as deep: links are relative) or, for a
  row that changed, made from its record alone;
- keeps a data shard whose rows' keys and options are unchanged, and otherwise writes it with the
  unchanged rows taken from the previous shard (its digest checked; codes renumbered when the
  options changed) and only the changed rows made.

Whatever the memo holds, the bytes are those a full build writes: the memo only decides what is
made again and where unchanged parts are copied from, and every copied part is checked first.
"""

from __future__ import annotations

import array
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from generator.incremental.fingerprint import fingerprint
from generator.incremental.keys import digest_bytes
from generator.site import urls
from generator.site.files import SiteFiles
from generator.site.listing_specs import ListingSpec
from generator.site.listings import (
    EMPTY_TABLE,
    ROW_END,
    SHARD_END,
    SHARD_START,
    TABLE_START,
    Listing,
    Row,
    RowWriter,
    data_index,
    data_index_path,
    encode_row,
    option_lookup,
    page_of,
    page_span,
    page_view,
    row_json,
    shard_path,
)
from generator.site.model import Page
from generator.site.pages import BODY, Renderer, Shell, fill_rendered, shell_for
from generator.site.record_views import Context

MEMO_VERSION = 2  # 2: pages of listings in date order counted from the oldest row (listings.page_span)
KEY = 16  # bytes of a row key (Entry.digest, listing_specs._key)


@dataclass
class ListingMemo:
    """What a listing's next patch build needs from this one (a few MB at 100k rows)."""

    version: int
    per_page: int
    anchored: bool  # its pages counted from the oldest row (Listing.anchored)
    options: dict[str, list[str]]
    keys: bytes  # every row's key, KEY bytes each, in the listing's order
    pages: list[tuple[bytes, bytes]]  # page n at [n - 1]: (its inputs' fingerprint, its file's digest)
    shard_names: list[str]
    shard_of: array.array  # each row's shard, as an index into shard_names
    # shard name → (its inputs' fingerprint, its file's digest, where each row's text starts in it)
    shards: dict[str, tuple[bytes, bytes, array.array]]

    def key(self, position: int) -> bytes:
        return self.keys[position * KEY : (position + 1) * KEY]

    @property
    def size(self) -> int:
        return len(self.keys) // KEY

    def page_of(self, position: int) -> int:
        return page_of(self.size, self.per_page, self.anchored, position)

    def page_span(self, number: int) -> tuple[int, int]:
        return page_span(self.size, self.per_page, self.anchored, number)


@dataclass
class MadeListing:
    pages: list[str]  # every page's URL
    memo: ListingMemo | None  # None when some row has no key: the next build makes everything


class _Capture:
    """Stands in for SiteFiles in fill_rendered: reads mkdocs' page, keeps what would be written."""

    def __init__(self, files: SiteFiles) -> None:
        self.files = files
        self.text = ""

    def read_text(self, rel: str) -> str:
        return self.files.read_text(rel)

    def write_text(self, rel: str, text: str) -> None:
        self.text = text


def write_listing(
    files: SiteFiles, shells: dict[int, Shell], renderer: Renderer, ctx: Context, spec: ListingSpec,
    previous: Any = None,  # noqa: ANN401 - the memo the previous build returned, if any
) -> MadeListing:
    """Write the listing's pages and filter data through `files`; `previous`: its memo from the
    previous build (a patch build), or None."""
    return _Maker(files, shells, renderer, ctx, spec, previous).write()


class _Maker:
    def __init__(
        self, files: SiteFiles, shells: dict[int, Shell], renderer: Renderer, ctx: Context, spec: ListingSpec,
        previous: Any,  # noqa: ANN401
    ) -> None:
        self.files, self.shells, self.renderer, self.ctx, self.spec = files, shells, renderer, ctx, spec
        self.items: Sequence[Any] = spec.items(ctx)
        self.keys = [spec.key(ctx, item, i) for i, item in enumerate(self.items)]
        self.known = all(len(k) == KEY for k in self.keys)
        old = previous if isinstance(previous, ListingMemo) and previous.version == MEMO_VERSION else None
        self.old = old if self.known and files.patching else None
        if self.old is not None:  # the rows are made only where needed
            filters = [spec.filters(ctx, item, i) for i, item in enumerate(self.items)]
            self.listing: Listing = spec.frame(ctx, [], filters)
            if (self.listing.per_page, self.listing.anchored) != (self.old.per_page, self.old.anchored):
                self.old = None
        if self.old is None:
            self.listing = spec(ctx)
        self.complete = self.old is None  # listing.rows holds every row
        self.checked = False  # the written rows were compared with the template's (full builds)
        self.trusted = True  # … and were the same
        self.writers: dict[int, RowWriter] = {}
        self.old_positions: dict[bytes, int] = {}  # a row's key → its position in the previous listing
        self.shard_of = array.array("I")  # each row's shard (an index into the shards made)

    def row(self, position: int) -> Row:
        if self.complete:
            return self.listing.rows[position]
        return self.spec.row(self.ctx, self.items[position], position)

    def writer(self, depth: int) -> RowWriter:
        if depth not in self.writers:
            self.writers[depth] = RowWriter(self.listing, depth)
        return self.writers[depth]

    def write(self) -> MadeListing:
        pages = self._pages()
        shards = self._data()
        memo = None
        if self.known and self.trusted:
            memo = ListingMemo(
                MEMO_VERSION, self.listing.per_page, self.listing.anchored, self.listing.options, b"".join(self.keys),
                pages, list(shards), self.shard_of, shards,
            )
        urls_ = [urls.listing_page(self.listing.section, n) for n in range(1, self.listing.page_count + 1)]
        return MadeListing(urls_, memo)

    # --- pages ---------------------------------------------------------------------------------

    def _frame(self) -> bytes:
        """The fingerprint of what every page shows besides its rows and its number (page 1 also
        shows the row count: see _pages)."""
        ls = self.listing
        digest = fingerprint((
            MEMO_VERSION, ls.section, ls.title, ls.subject, ls.columns, ls.numeric, ls.nowrap, ls.filters,
            ls.sorts, ls.per_page, ls.intro, ls.order, ls.options, ls.page_count, ls.year_starts,
        ))
        assert digest is not None  # plain values only
        return digest

    def _pages(self) -> list[tuple[bytes, bytes]]:
        ls, old = self.listing, self.old
        frame = self._frame()
        blob = b"".join(self.keys) if self.known else b""
        made: list[tuple[bytes, bytes]] = []
        todo: list[int] = []
        for n in range(1, ls.page_count + 1):
            start, stop = ls.page_span(n)
            number = n.to_bytes(4, "little") + (ls.size.to_bytes(8, "little") if n == 1 else b"")
            inputs = digest_bytes(frame, number, blob[start * KEY : stop * KEY])
            if old is not None and n <= len(old.pages) and old.pages[n - 1][0] == inputs:
                self.files.keep(urls.output_file(urls.listing_page(ls.section, n)))
                made.append(old.pages[n - 1])
            else:
                made.append((inputs, b""))
                todo.append(n)
        copied = self._copied_rows(todo) if old is not None and todo else {}
        for n in todo:
            made[n - 1] = (made[n - 1][0], self._write_page(n, copied))
        return made

    def _copied_rows(self, todo: list[int]) -> dict[int, tuple[int, bytes]]:
        """The <tr> lines the pages to be written can take from the previous build's pages: by the
        row's position in the previous listing → (depth of its page, line).  Read before any page is
        written (a page written first could otherwise be read back for its old rows)."""
        ls, old = self.listing, self.old
        assert old is not None
        positions = {old.key(p): p for p in range(old.size)}
        wanted: set[int] = set()
        for n in todo:
            depth = urls.depth(urls.listing_page(ls.section, n))
            for i in range(*ls.page_span(n)):
                p = positions.get(self.keys[i])
                if p is not None:
                    m = old.page_of(p)
                    if urls.depth(urls.listing_page(ls.section, m)) == depth:
                        wanted.add(m)
        copied: dict[int, tuple[int, bytes]] = {}
        for m in sorted(wanted):
            if m > len(old.pages):
                continue
            url = urls.listing_page(ls.section, m)
            lines = _table_rows(self.files, urls.output_file(url), old.pages[m - 1][1])
            first, stop = old.page_span(m)
            if lines is None or len(lines) != stop - first:
                continue
            depth = urls.depth(url)
            for offset, line in enumerate(lines):
                copied[first + offset] = (depth, line)
        self.old_positions = positions
        return copied

    def _rows_html(self, n: int, depth: int, copied: dict[int, tuple[int, bytes]]) -> bytes:
        ls = self.listing
        out = []
        for i in range(*ls.page_span(n)):
            p = self.old_positions.get(self.keys[i]) if copied else None
            found = copied.get(p) if p is not None else None
            if found is not None and found[0] == depth:
                out.append(found[1])
            else:
                out.append(self.writer(depth)(self.row(i)).encode("utf-8"))
        return b"".join(out)

    def _write_page(self, n: int, copied: dict[int, tuple[int, bytes]]) -> bytes:
        """Write page n; returns its file's digest."""
        ls, renderer = self.listing, self.renderer
        page = page_view(ls, n, rows=())
        depth = urls.depth(page.url)
        frame = renderer.body(page)
        at = frame.find(EMPTY_TABLE) + len(TABLE_START)
        if at < len(TABLE_START) or frame.count(EMPTY_TABLE) != 1:  # listing.html is not as RowWriter knows it
            self.trusted = False
        if self.trusted and self.complete and not self.checked and ls.size:
            self.checked = True
            rows = self._rows_html(n, depth, {}).decode("utf-8")
            self.trusted = frame[:at] + rows + frame[at:] == renderer.body(page_view(ls, n))
        if not self.trusted:  # the template's own rows (every page, slowly), and no memo
            full = page_view(ls, n, rows=[self.row(i) for i in range(*ls.page_span(n))])
            data = self._page_text(page, renderer.body(full)).encode("utf-8")
        else:
            # The rows go in as bytes (copied ones are never decoded): the page is made around a mark.
            text = self._page_text(page, frame[:at] + _ROWS_MARK + frame[at:])
            before, mark, after = text.partition(_ROWS_MARK)
            rows = self._rows_html(n, depth, copied)
            if mark and _ROWS_MARK not in after:
                data = before.encode("utf-8") + rows + after.encode("utf-8")
            else:  # a NUL in the page's own text (an option?): the rows go in as text
                data = self._page_text(page, frame[:at] + rows.decode("utf-8") + frame[at:]).encode("utf-8")
        self.files.write(urls.output_file(page.url), data)
        return digest_bytes(data)

    def _page_text(self, page: Page, body: str) -> str:
        if page.url == self.listing.section:  # page 1 is mkdocs' own section page, filled in
            capture = _Capture(self.files)
            fill_rendered(cast(SiteFiles, capture), page.url, BODY, body, self.renderer, page)
            return capture.text
        shell = shell_for(self.shells, page.url).for_page(page.url)
        head = self.renderer.head(page, shell.description)
        return shell.fill(page.title, head, body, self.renderer.canonical(page.url))

    # --- filter data -------------------------------------------------------------------------------

    def _shards(self) -> list[str]:
        """Each row's shard (Row.shard), without making the rows in a patch build."""
        ls, by = self.listing, self.spec.shard_by
        if self.complete:
            return [row.shard for row in ls.rows]
        return [str(values[by]) for values in ls.all_filters] if by is not None else ["all"] * ls.size

    def _data(self) -> dict[str, tuple[bytes, bytes, array.array]]:
        ls, old, files = self.listing, self.old, self.files
        if not ls.filters:
            return {}
        groups: dict[str, list[int]] = {}
        for i, name in enumerate(self._shards()):
            groups.setdefault(name, []).append(i)
        self.shard_of = array.array("I", bytes(4 * ls.size))
        for number, positions in enumerate(groups.values()):
            for i in positions:
                self.shard_of[i] = number
        lookup = option_lookup(ls)
        options = fingerprint((MEMO_VERSION, ls.options, ls.columns, [f.param for f in ls.filters]))
        assert options is not None
        made: dict[str, tuple[bytes, bytes, array.array]] = {}
        for name, positions in groups.items():
            path = shard_path(ls, name)
            inputs = digest_bytes(options, name.encode(), b"".join(self.keys[i] for i in positions) if self.known else b"")
            if old is not None and name in old.shards and old.shards[name][0] == inputs:
                files.keep(path)
                made[name] = old.shards[name]
                continue
            reused, recode = self._old_shard_rows(name) if old is not None else ({}, None)
            texts = []
            for i in positions:
                text = reused.get(self.keys[i])
                if text is not None and recode is not None:
                    text = recode(text)
                texts.append(text if text is not None else row_json(encode_row(self.row(i), lookup)))
            starts = array.array("I")
            at = len(SHARD_START)
            for text in texts:
                starts.append(at)
                at += len(text) + 1
            data = SHARD_START + b",".join(texts) + SHARD_END
            files.write(path, data)
            made[name] = (inputs, digest_bytes(data), starts)
        files.write_text(data_index_path(ls), data_index(ls, {name: len(p) for name, p in groups.items()}))
        return made

    def _old_shard_rows(self, name: str) -> tuple[dict[bytes, bytes], Callable[[bytes], bytes | None] | None]:
        """The previous build's rows of this shard (their JSON text) by key, and how to renumber a
        row's filter codes when the options changed (None when they did not)."""
        ls, old = self.listing, self.old
        assert old is not None
        if name not in old.shards:
            return {}, None
        _, digest, starts = old.shards[name]
        data = _live_bytes(self.files, shard_path(ls, name))
        if data is None or digest_bytes(data) != digest or not data.endswith(SHARD_END):
            return {}, None
        number = old.shard_names.index(name)
        keys = [old.key(p) for p, s in enumerate(old.shard_of) if s == number]
        if len(keys) != len(starts):
            return {}, None
        ends = [*(at - 1 for at in starts[1:]), len(data) - len(SHARD_END)]
        texts = {key: data[a:b] for key, a, b in zip(keys, starts, ends, strict=True)}
        return texts, _recoder(ls, old.options) if old.options != ls.options else None


def _recoder(listing: Listing, old_options: dict[str, list[str]]) -> Callable[[bytes], bytes | None]:
    """A row's filter codes under the previous options → under this listing's (None if a code has
    no value now; it cannot happen: a reused row has the values it had, and they are options)."""
    first = 1 + len(listing.columns)  # the link, the cells, then one code (or a list, or -1) per filter
    renumber = []
    for f in listing.filters:
        now = {v: i for i, v in enumerate(listing.options[f.param])}
        renumber.append({i: now[v] for i, v in enumerate(old_options.get(f.param, [])) if v in now})

    def recode(text: bytes) -> bytes | None:
        try:
            row = json.loads(text)
            for f, codes in enumerate(renumber):
                code = row[first + f]
                row[first + f] = [codes[c] for c in code] if isinstance(code, list) else codes[code] if code >= 0 else -1
        except (ValueError, KeyError, TypeError, IndexError):
            return None
        return row_json(row)

    return recode


def _live_bytes(files: SiteFiles, rel: str) -> bytes | None:
    """A file of the live site as the previous build left it (patch builds only)."""
    if not files.patching:
        return None
    try:
        return (files.out / rel).read_bytes()
    except OSError:
        return None


_ROWS_MARK = "\x00GK:ROWS\x00"  # where a page's rows go (no template, shell or cell text holds a NUL)
_TABLE_START, _TABLE_END, _ROW_END = TABLE_START.encode(), b"</tbody>", ROW_END.encode()


def _table_rows(files: SiteFiles, rel: str, digest: bytes) -> list[bytes] | None:
    """The <tr> lines of the previous build's listing page `rel`, when the file is still the one it
    wrote (`digest`)."""
    data = _live_bytes(files, rel)
    if data is None or digest_bytes(data) != digest:
        return None
    start = data.find(_TABLE_START)
    stop = data.find(_TABLE_END, start)
    if start < 0 or stop < 0:
        return None
    table = data[start + len(_TABLE_START) : stop]
    if table and not table.endswith(_ROW_END):
        return None
    # Cell text is escaped: "</tr>" inside a row cannot occur, so the rows split exactly.
    return [line + _ROW_END for line in table.split(_ROW_END)[:-1]]
