"""Paginated static listings plus compact JSON shards for the in-browser filter.

Without JavaScript a listing is a plain, paginated table in its default order (newest first), with
links to the page where each year starts and to the full download; the filter form, which could not
filter anything, is not shown (`.no-js`).  With JavaScript,
listing.js reads the filter and sort parameters from the URL, fetches `data/index.json` and only the
shards it needs (one per year for penalties), and redraws the table: a 100k-row listing never
ships more than the years asked for, and the static pages stay small.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import escape

from generator.search.order import ordered
from generator.site import urls
from generator.site.model import Link, Page

ALL = "全部"


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    href: str = ""  # site-root-relative target; made relative to each page when rendered
    spoken: str = ""  # what a screen reader says instead of `text` when text is a mark (— → 无罚款)


NONE_MARK = "—"


def absent(spoken: str) -> Cell:
    """A cell with no value: a dash to the eye, words (无罚款, 未公布) to a screen reader."""
    return Cell(NONE_MARK, spoken=spoken)


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    filters: tuple[str | tuple[str, ...], ...]  # one value (or several) per filter
    sorts: tuple[int | None, ...]  # one number per sort key; None (no value) sorts last either way
    shard: str


@dataclass(frozen=True)
class Filter:
    param: str
    label: str
    order: tuple[str, ...] = ()  # the values' meaning's order (generator.rules.orders); others follow


@dataclass(frozen=True)
class Sort:
    value: str  # URL value: "-date", "amount", …
    label: str  # 罚款金额（由高到低）
    key: int  # index into Row.sorts
    descending: bool

    @property
    def phrase(self) -> str:
        """The order as a caption says it: 按罚款金额由高到低, 按事项编码排列."""
        bare = self.label.replace("（", "").replace("）", "")
        return f"按{bare}" if bare != self.label else f"按{bare}排列"


@dataclass
class Listing:
    section: str  # the section URL, e.g. penalties/
    title: str
    subject: str  # what the table lists; the caption adds the order (and, in the browser, the filters)
    columns: tuple[str, ...]
    numeric: tuple[int, ...]  # indexes of right-aligned columns
    rows: list[Row]  # in the order of the first sort (the static pages' order)
    filters: tuple[Filter, ...] = ()
    sorts: tuple[Sort, ...] = ()
    per_page: int = 50
    intro: str = ""
    nowrap: tuple[int, ...] = ()  # indexes of columns kept on one line on wide screens (dates, 文号)
    order: str = ""  # the caption's order when there are no sorts to choose from
    options: dict[str, list[str]] = field(default_factory=dict)
    # A patch build (generator.site.listing_build) makes only some rows: then `rows` is empty and
    # these are every row's filter values, in order — all that the pages' surroundings need.
    row_filters: list[tuple[str | tuple[str, ...], ...]] | None = None

    def __post_init__(self) -> None:
        # Options in their meaning's order: years newest first, known values (特别重大 … 一般, the
        # categories of 行政处罚法 art. 9) in the law's order, the rest most common first.
        columns = list(zip(*self.all_filters, strict=True)) if self.filters else []
        for i, f in enumerate(self.filters):
            column = columns[i] if columns else ()
            kinds = set(map(type, column))
            if kinds <= {str}:  # one value per row (most filters): counted in C
                counts = Counter(column)
                counts.pop("", None)
            elif kinds == {tuple}:  # several values per row (处罚类别)
                counts = Counter(itertools.chain.from_iterable(column))
            else:
                counts = Counter(v for value in column for v in _values(value))
            known = sorted(counts, reverse=True) if f.param == "year" else f.order
            self.options[f.param] = ordered(counts, known)

    @property
    def all_filters(self) -> list[tuple[str | tuple[str, ...], ...]]:
        """Every row's filter values, in the listing's order."""
        return self.row_filters if self.row_filters is not None else [row.filters for row in self.rows]

    @property
    def size(self) -> int:
        """How many rows the listing has."""
        return len(self.row_filters) if self.row_filters is not None else len(self.rows)

    @property
    def caption(self) -> str:
        return f"{self.subject}（{self.sorts[0].phrase if self.sorts else self.order}）"

    @property
    def anchored(self) -> bool:
        """Whether the static pages are counted from the oldest row: see page_span."""
        return bool(self.sorts) and self.sorts[0].value == "-date"

    @property
    def page_count(self) -> int:
        return page_total(self.size, self.per_page, self.anchored)

    def page_span(self, number: int) -> tuple[int, int]:
        """The rows [start, stop) of page `number`."""
        return page_span(self.size, self.per_page, self.anchored, number)

    @functools.cached_property
    def year_starts(self) -> list[tuple[str, int]]:
        """(year, page number) where each year's rows begin, when the default order is by date and
        there is a year filter: the way through a long listing without JavaScript.  Computed once:
        every page of the listing shows it."""
        params = [f.param for f in self.filters]
        if "year" not in params or not self.sorts or self.sorts[0].value != "-date":
            return []
        at = params.index("year")
        starts: dict[str, int] = {}
        for i, values in enumerate(self.all_filters):
            year = str(values[at])
            if year not in starts:
                starts[year] = page_of(self.size, self.per_page, self.anchored, i)
        return list(starts.items())


# --- which rows a static page shows -----------------------------------------------------------------
# A listing in date order, newest first, is cut into pages from its oldest row: page 2 onwards each
# hold `per_page` rows, and page 1 the newest rows besides them (per_page up to twice that less one).
# Records arrive at the top, so a new decision changes page 1 and leaves every other page as it was
# (a patch build rewrites one page, not thousands), and a withdrawn one moves only the pages newer
# than it; a page's URL keeps showing the same records.  Other orders (by code, by name) are cut
# from the top, where every page but the last holds `per_page` rows.


def page_total(size: int, per_page: int, anchored: bool) -> int:
    return max(1, size // per_page if anchored else -(-size // per_page))


def page_span(size: int, per_page: int, anchored: bool, number: int) -> tuple[int, int]:
    """The rows [start, stop) of page `number`, in the listing's order."""
    if not anchored:
        start = (number - 1) * per_page
        return start, min(start + per_page, size)
    pages = page_total(size, per_page, anchored)
    if number == 1:
        return 0, max(0, size - (pages - 1) * per_page)
    start = size - (pages - number + 1) * per_page
    return start, start + per_page


def page_of(size: int, per_page: int, anchored: bool, position: int) -> int:
    """The page showing the row at `position`."""
    if not anchored:
        return position // per_page + 1
    return max(1, page_total(size, per_page, anchored) - (size - 1 - position) // per_page)


def _values(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,) if value else ()


# --- static pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SelectView:
    param: str
    label: str
    field_id: str
    options: tuple[str, ...]


DOWNLOAD_KINDS = ("penalties", "accidents", "power-items")  # the /data/KIND.csv downloads (interfaces.md)


@dataclass(frozen=True)
class ListingView:
    caption: str
    intro: str
    columns: tuple[tuple[str, str], ...]  # (label, cell class: gk-num, gk-nowrap or "")
    rows: tuple[tuple[Link, ...], ...]  # a Link with an empty href is plain text; note: spoken text
    total: str
    pages: tuple[Link, ...]  # numbered page links; note "current" marks this page
    previous: str
    next: str
    form_action: str
    selects: tuple[SelectView, ...]
    sorts: tuple[tuple[str, str], ...]
    data_src: str  # the JSON index the script loads; empty when the listing has no filters
    site_root: str
    download_kind: str  # penalties / accidents / power-items; "" for listings with no download
    download_csv: str  # the full download, for everyone (also without JavaScript)
    download_json: str  # what the "download this filtered view" button filters
    registers: tuple[str, str]  # the blacklist and the withdrawal register, beside the penalty listing
    order: str  # the static pages' order, for the no-JavaScript note: 按决定日期由近及远
    year_starts: tuple[Link, ...]  # 2025年 → the page where 2025 begins (note: 第 N 页起)


def listing_pages(listing: Listing) -> list[Page]:
    return [page_view(listing, n) for n in range(1, listing.page_count + 1)]


def page_rows(listing: Listing, number: int) -> list[Row]:
    start, stop = listing.page_span(number)
    return listing.rows[start:stop]


def page_view(listing: Listing, number: int, rows: Sequence[Row] | None = None) -> Page:
    """Page `number` of the listing, with `rows` in its table (by default the listing's rows of that
    page; listing_build passes none and writes the table's rows with a RowWriter)."""
    url = urls.listing_page(listing.section, number)
    rows = page_rows(listing, number) if rows is None else rows
    table = tuple(
        tuple(Link(c.text, urls.relative(url, c.href) if c.href else "", c.spoken) for c in row.cells)
        for row in rows
    )

    def link(n: int) -> str:
        return (
            urls.relative(url, urls.listing_page(listing.section, n)) if 1 <= n <= listing.page_count else ""
        )

    kind = listing.section.strip("/") if listing.section.strip("/") in DOWNLOAD_KINDS else ""
    view = ListingView(
        caption=listing.caption,
        intro=listing.intro,
        columns=tuple((c, _cell_class(listing, i)) for i, c in enumerate(listing.columns)),
        rows=table,
        total=_total(listing, number),
        pages=pager_links(number, listing.page_count, link),
        previous=link(number - 1),
        next=link(number + 1),
        form_action=urls.relative(url, listing.section),
        selects=tuple(
            SelectView(f.param, f.label, f"gk-filter-{f.param}", tuple(listing.options[f.param]))
            for f in listing.filters
        ),
        sorts=tuple((s.value, s.label) for s in listing.sorts),
        data_src=urls.relative(url, f"{listing.section}data/index.json") if listing.filters else "",
        site_root=urls.relative(url, urls.HOME),
        download_kind=kind,
        download_csv=urls.relative(url, f"data/{kind}.csv") if kind else "",
        download_json=urls.relative(url, f"data/{kind}.json") if kind else "",
        registers=(urls.relative(url, "penalties/blacklist/"), urls.relative(url, "penalties/withdrawals/")),
        order=listing.sorts[0].phrase if listing.sorts else listing.order,
        year_starts=tuple(Link(f"{year}年", link(n), f"第 {n} 页起") for year, n in listing.year_starts),
    )
    title = listing.title if number == 1 else f"{listing.title}（第 {number} 页）"
    trail = (
        ((listing.title, ""),) if number == 1 else ((listing.title, listing.section), (f"第 {number} 页", ""))
    )
    crumbs = (Link("首页", urls.relative(url, urls.HOME)),) + tuple(
        Link(label, urls.relative(url, to) if to else "") for label, to in trail
    )
    return Page(url=url, title=title, breadcrumbs=crumbs, template="listing.html", extra={"listing": view})


def _total(listing: Listing, number: int) -> str:
    """Page 1 says how many rows there are; the other pages only where they stand, so that a record
    more or less leaves them as they were (see page_span)."""
    where = f"第 {number} / {listing.page_count} 页"
    return f"共 {listing.size:,} 条，{where}" if number == 1 else where


def _cell_class(listing: Listing, column: int) -> str:
    return "gk-num" if column in listing.numeric else "gk-nowrap" if column in listing.nowrap else ""


# --- the table's rows, written directly -------------------------------------------------------------
# listing.html's row loop, in Python: a 100k-row listing's rows are most of its rendering time.  The
# same markup and the same escaping (markupsafe, as Jinja's autoescape); listing_build checks it
# against the template on every full build, and tests/site/test_listing_patch.py on every kind of cell.

TABLE_START = "<tbody>\n"
EMPTY_TABLE = "<tbody>\n</tbody>"
ROW_END = "</tr>\n"


class RowWriter:
    """Each row's <tr> line as listing.html writes it on a page `depth` directories deep."""

    def __init__(self, listing: Listing, depth: int) -> None:
        self.up = "../" * depth
        self.starts = tuple(
            f'<td data-label="{escape(label)}"' + (f' class="{escape(kind)}">' if kind else ">")
            for label, kind in ((c, _cell_class(listing, i)) for i, c in enumerate(listing.columns))
        )

    def __call__(self, row: Row) -> str:
        out = ["<tr>"]
        for start, c in zip(self.starts, row.cells, strict=True):
            if c.href:
                out.append(f'{start}<a href="{escape(self.up + c.href)}">{escape(c.text)}</a></td>')
            elif c.spoken:
                out.append(
                    f'{start}<span aria-hidden="true">{escape(c.text)}</span>'
                    f'<span class="gk-visually-hidden">{escape(c.spoken)}</span></td>'
                )
            else:
                out.append(f"{start}{escape(c.text)}</td>")
        out.append(ROW_END)
        return "".join(out)


def pager_links(number: int, last: int, link) -> tuple[Link, ...]:  # noqa: ANN001 - page number → href
    """The pager's page links; a gap in the numbers is shown as “…” (note "gap")."""
    out: list[Link] = []
    previous = 0
    for n in page_window(number, last):
        if n > previous + 1:
            out.append(Link("…", "", "gap"))
        out.append(Link(str(n), link(n), "current" if n == number else ""))
        previous = n
    return tuple(out)


def page_window(number: int, last: int) -> list[int]:
    """First, last and the pages around the current one: a short, keyboard-friendly pager."""
    return sorted({1, last, *range(max(1, number - 2), min(last, number + 2) + 1)})


# --- JSON for the script ------------------------------------------------------------------------------


def option_lookup(listing: Listing) -> list[dict[str, int]]:
    """Each filter's value → its number in the data (its place among the options)."""
    return [{v: i for i, v in enumerate(listing.options[f.param])} for f in listing.filters]


def encode_row(row: Row, lookup: list[dict[str, int]]) -> list:
    """A row as the script reads it: link, cells, filter codes (one, several or -1), sort keys."""
    # A cell is its text, or [text, spoken] when a screen reader says something else (— → 无罚款).
    encoded: list = [row.cells[0].href, *([c.text, c.spoken] if c.spoken else c.text for c in row.cells)]
    for i, value in enumerate(row.filters):
        codes = [lookup[i][v] for v in _values(value)]
        encoded.append(codes[0] if isinstance(value, str) and codes else codes if codes else -1)
    encoded += row.sorts
    return encoded


def listing_data(listing: Listing) -> dict[str, str]:
    """File path (relative to the site) → JSON text: the index and one file per shard."""
    if not listing.filters:
        return {}
    lookup = option_lookup(listing)
    shards: dict[str, list[list]] = {}
    for row in listing.rows:
        shards.setdefault(row.shard, []).append(encode_row(row, lookup))
    out = {data_index_path(listing): data_index(listing, {name: len(rows) for name, rows in shards.items()})}
    out.update({shard_path(listing, name): shard_json(rows) for name, rows in shards.items()})
    return out


def data_index_path(listing: Listing) -> str:
    return f"{listing.section}data/index.json"


def shard_path(listing: Listing, name: str) -> str:
    return f"{listing.section}data/{name}.json"


def shard_json(rows: list[list]) -> str:
    return _json({"rows": rows})


SHARD_START, SHARD_END = b'{"rows":[', b"]}"
_ROW_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # as _json, without its set-up per call


def row_json(encoded: list) -> bytes:
    """One encoded row as it stands in its shard: a shard is SHARD_START, its rows' texts joined by
    commas, SHARD_END (the same bytes as shard_json)."""
    return _ROW_JSON(encoded).encode("utf-8")


def data_index(listing: Listing, shard_sizes: dict[str, int]) -> str:
    """The filter data's index: what the script needs before any shard, and the shards (in the
    order their first rows come in) with their sizes."""
    index = {
        "subject": listing.subject,
        "columns": list(listing.columns),
        "numeric": list(listing.numeric),
        "nowrap": list(listing.nowrap),
        "linkColumn": 0,
        "filters": [
            {"param": f.param, "label": f.label, "options": listing.options[f.param]} for f in listing.filters
        ],
        "sorts": [
            {"value": s.value, "key": s.key, "descending": s.descending, "phrase": s.phrase} for s in listing.sorts
        ],
        "perPage": listing.per_page,
        "shards": [{"name": name, "file": f"{name}.json", "rows": rows} for name, rows in shard_sizes.items()],
    }
    return _json(index)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def shard_order(rows: Sequence[Row]) -> list[str]:
    return list(dict.fromkeys(r.shard for r in rows))
