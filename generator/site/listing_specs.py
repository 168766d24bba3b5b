"""What each listing shows: columns, filters and sort keys of penalties, accidents, powers, enterprises."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.catalog import Entry
from generator.incremental.keys import digest_bytes, short_digest
from generator.rules.orders import ACCIDENT_TYPES, PENALTY_CATEGORIES
from generator.schema.headers import PARTY_TYPES, POWER_ITEM_TYPES
from generator.schema.models import Accident, Penalty, PowerItem
from generator.site import urls
from generator.site.display import (
    LEVEL_LABELS,
    NOT_STATED,
    cn_date,
    join,
    level_label,
    party_name,
    yuan,
    yuan_number,
)
from generator.site.enterprises import Enterprise
from generator.site.listings import Cell, Filter, Listing, Row, Sort, absent
from generator.site.record_views import Context

DATE_SORTS = (Sort("-date", "决定日期（由近及远）", 0, True), Sort("date", "决定日期（由远及近）", 0, False))
NO_FINE = "无罚款"


def _amount(wan: Decimal | None, spoken: str) -> tuple[Cell, int | None]:
    """An amount's cell and sort key: no amount is a dash (said as `spoken`) and sorts last."""
    return (Cell(yuan(wan)), yuan_number(wan)) if wan is not None else (absent(spoken), None)


@dataclass(frozen=True)
class ListingSpec:
    """One listing, row by row, so that a patch build can make only the rows it needs
    (generator.site.listing_build): the items in the listing's default order, each item's row, its
    filter values alone (cheap; always the row's own), and a 16-byte key of everything its row is
    made from besides the settings and the date (b"" when unknown: the row is never reused)."""

    name: str  # the listing's memo is kept under this name
    items: Callable[[Context], Sequence[Any]]
    row: Callable[[Context, Any, int], Row]  # (ctx, item, its position in the listing)
    filters: Callable[[Context, Any, int], tuple[str | tuple[str, ...], ...]]
    key: Callable[[Context, Any, int], bytes]
    frame: Callable[[Context, list[Row], list | None], Listing]  # the listing around rows (or filters)
    # The row's shard is the value of this filter (the year), or "all" for every row: Row.shard.
    shard_by: int | None = None

    def __call__(self, ctx: Context) -> Listing:
        """The whole listing, every row made."""
        return self.frame(ctx, [self.row(ctx, item, i) for i, item in enumerate(self.items(ctx))], None)


_key = digest_bytes


# --- penalties ----------------------------------------------------------------------------------------


def _penalty_filters(ctx: Context, e: Entry[Penalty], position: int) -> tuple[str | tuple[str, ...], ...]:
    r = e.record
    return (str(r.decision_date.year), r.categories, r.violation_type, r.authority, r.party_type)


def _penalty_row(ctx: Context, e: Entry[Penalty], position: int) -> Row:
    r = e.record
    fine, fine_key = _amount(r.fine_wan, NO_FINE)
    return Row(
        cells=(
            Cell(r.decision_number, urls.penalty(r)),
            Cell(cn_date(r.decision_date)),
            Cell(party_name(r, ctx.settings)),
            Cell(r.violation_type),
            Cell(join(r.categories)),
            fine,
            Cell(r.authority),
        ),
        filters=_penalty_filters(ctx, e, position),
        sorts=(r.decision_date.toordinal(), fine_key),
        shard=str(r.decision_date.year),  # the script fetches only the years asked for (shard_by)
    )


def _penalty_key(ctx: Context, e: Entry[Penalty], position: int) -> bytes:
    return e.digest  # the row is the record's (and the settings') alone


def _penalties_frame(ctx: Context, rows: list[Row], row_filters: list | None) -> Listing:
    return Listing(
        section=urls.PENALTIES,
        title="行政处罚决定",
        subject="公示中的行政处罚决定",
        columns=("决定书文号", "决定日期", "当事人", "违法行为类型", "处罚类别", "罚款金额", "处罚机关"),
        numeric=(5,),
        nowrap=(0, 1),
        rows=rows,
        row_filters=row_filters,
        per_page=ctx.settings.records_per_page,
        filters=(
            Filter("year", "年份"),
            Filter("category", "处罚类别", PENALTY_CATEGORIES),
            Filter("violation", "违法行为类型"),
            Filter("authority", "处罚机关"),
            Filter("party", "当事人类别", PARTY_TYPES),
        ),
        sorts=(
            *DATE_SORTS,
            Sort("-amount", "罚款金额（由高到低）", 1, True),
            Sort("amount", "罚款金额（由低到高）", 1, False),
        ),
        intro="依法公示的行政处罚决定。公示期满、已撤销或变更的决定不再列出。自然人姓名已作脱敏处理。",
    )


penalties_listing = ListingSpec(
    "listing:penalties",
    lambda ctx: ctx.index.publication.public_penalties,
    _penalty_row,
    _penalty_filters,
    _penalty_key,
    _penalties_frame,
    shard_by=0,
)


# --- accidents ----------------------------------------------------------------------------------------


def _accident_level(ctx: Context, e: Entry[Accident]) -> str:
    return level_label(ctx.index.publication.accident(e.record.key).level)


def _accident_filters(ctx: Context, e: Entry[Accident], position: int) -> tuple[str, ...]:
    r = e.record
    return (str(r.occurred_date.year), _accident_level(ctx, e), r.industry or "", r.accident_type or "")


def _accident_row(ctx: Context, e: Entry[Accident], position: int) -> Row:
    r = e.record
    filters = _accident_filters(ctx, e, position)
    level = filters[1]
    loss, loss_key = _amount(r.loss_wan, NOT_STATED)
    return Row(
        cells=(
            Cell(r.name, urls.accident(r)),
            Cell(cn_date(r.occurred_date)),
            Cell(level),
            Cell(r.industry or ""),
            Cell(r.accident_type or ""),
            absent(NOT_STATED) if r.deaths is None else Cell(str(r.deaths)),
            loss,
        ),
        filters=filters,
        # Most severe first: 特别重大 is 0 (LEVEL_LABELS), 未认定 last.
        sorts=(r.occurred_date.toordinal(), r.deaths, loss_key, LEVEL_LABELS.index(level)),
        shard="all",
    )


def _accident_key(ctx: Context, e: Entry[Accident], position: int) -> bytes:
    # The level is the publication's (a rated or assessed level), not only the record's text.
    return _key(e.digest, _accident_level(ctx, e)) if e.digest else b""


def _accidents_frame(ctx: Context, rows: list[Row], row_filters: list | None) -> Listing:
    return Listing(
        section=urls.ACCIDENTS,
        title="生产安全事故调查",
        subject="生产安全事故调查报告",
        columns=("事故名称", "发生日期", "事故等级", "所属行业", "事故类型", "死亡人数", "直接经济损失"),
        numeric=(5, 6),
        nowrap=(1, 2),
        rows=rows,
        row_filters=row_filters,
        per_page=ctx.settings.records_per_page,
        filters=(
            Filter("year", "年份"),
            Filter("level", "事故等级", LEVEL_LABELS),
            Filter("industry", "所属行业"),
            Filter("type", "事故类型", ACCIDENT_TYPES),
        ),
        sorts=(
            Sort("-date", "发生日期（由近及远）", 0, True),
            Sort("date", "发生日期（由远及近）", 0, False),
            Sort("level", "事故等级（由重到轻）", 3, False),
            Sort("-deaths", "死亡人数（由多到少）", 1, True),
            Sort("-loss", "直接经济损失（由高到低）", 2, True),
        ),
        intro="依法公开的生产安全事故调查报告及整改评估情况。",
    )


accidents_listing = ListingSpec(
    "listing:accidents",
    lambda ctx: ctx.index.publication.public_accidents,
    _accident_row,
    _accident_filters,
    _accident_key,
    _accidents_frame,
)


# --- power items ------------------------------------------------------------------------------------


def _power_items(ctx: Context) -> list[Entry[PowerItem]]:
    return sorted(ctx.index.publication.public_power_items, key=lambda e: _code_key(e.record.code))


def _power_item_filters(ctx: Context, e: Entry[PowerItem], position: int) -> tuple[str, ...]:
    return (e.record.item_type, e.record.office or "")


def _penalty_count(ctx: Context, e: Entry[PowerItem]) -> int:
    return len(ctx.index.penalties_by_power.get(e.record.code, []))


def _power_item_row(ctx: Context, e: Entry[PowerItem], position: int) -> Row:
    r = e.record
    penalties = _penalty_count(ctx, e)
    return Row(
        cells=(
            Cell(r.code, urls.power_item(r)),
            Cell(r.name),
            Cell(r.item_type),
            Cell(r.office or ""),
            Cell(r.level or ""),
            Cell(str(penalties)),
        ),
        filters=_power_item_filters(ctx, e, position),
        sorts=(position, _type_rank(r.item_type), penalties),
        shard="all",
    )


def _power_item_key(ctx: Context, e: Entry[PowerItem], position: int) -> bytes:
    return _key(e.digest, str(_penalty_count(ctx, e)), str(position)) if e.digest else b""


def _power_items_frame(ctx: Context, rows: list[Row], row_filters: list | None) -> Listing:
    return Listing(
        section=urls.POWER_ITEMS,
        title="权责清单",
        subject="权责清单事项",
        columns=("事项编码", "事项名称", "事项类型", "承办机构", "行使层级", "公示中的处罚"),
        numeric=(5,),
        nowrap=(0,),
        rows=rows,
        row_filters=row_filters,
        per_page=max(ctx.settings.records_per_page, 100),
        filters=(Filter("type", "事项类型", POWER_ITEM_TYPES), Filter("office", "承办机构")),
        sorts=(
            Sort("code", "事项编码", 0, False),
            Sort("type", "事项类型", 1, False),  # in the order of the types, each by code
            Sort("-penalties", "公示中的处罚件数（由多到少）", 2, True),
        ),
        intro="本局依法行使的行政权力及其设定依据、责任事项和追责情形。子项单独列出，并在父项页面中链接。",
    )


power_items_listing = ListingSpec(
    "listing:power-items", _power_items, _power_item_row, _power_item_filters, _power_item_key, _power_items_frame
)


# --- enterprises ------------------------------------------------------------------------------------


def _enterprise_row(ctx: Context, e: Enterprise, position: int) -> Row:
    return Row(
        cells=(
            Cell(e.name, e.url),
            Cell(e.credit_code) if e.credit_code else absent("未登记统一社会信用代码"),
            Cell(str(len(e.penalties))),
            Cell(str(len(e.accidents))),
        ),
        filters=(),
        sorts=(),
        shard="all",
    )


def _enterprise_key(ctx: Context, e: Enterprise, position: int) -> bytes:
    # An enterprise gathers records; its row shows only these (each text preceded by its length).
    code = e.credit_code or ""
    text = f"{len(e.name)}:{e.name}{len(e.url)}:{e.url}{len(code)}:{code}{len(e.penalties)},{len(e.accidents)}"
    return short_digest(text.encode())


def _enterprises_frame(ctx: Context, rows: list[Row], row_filters: list | None) -> Listing:
    return Listing(
        section=urls.ENTERPRISES,
        title="单位信息",
        subject="有公示记录的单位",
        order="按统一社会信用代码排列",
        columns=("单位名称", "统一社会信用代码", "行政处罚", "生产安全事故"),
        numeric=(2, 3),
        nowrap=(1,),
        rows=rows,
        row_filters=row_filters,
        per_page=max(ctx.settings.records_per_page, 100),
        intro="按统一社会信用代码（无代码的按名称）归集的单位处罚和事故记录。自然人不设页面。",
    )


enterprises_listing = ListingSpec(
    "listing:enterprises",
    lambda ctx: ctx.index.enterprises,
    _enterprise_row,
    lambda ctx, e, position: (),
    _enterprise_key,
    _enterprises_frame,
)


def _code_key(code: str) -> tuple:
    """YJ-CF-2 before YJ-CF-10: the numbers in a code compare as numbers."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", code) if part)


def _type_rank(item_type: str) -> int:
    return POWER_ITEM_TYPES.index(item_type) if item_type in POWER_ITEM_TYPES else len(POWER_ITEM_TYPES)


LISTINGS = (penalties_listing, accidents_listing, power_items_listing, enterprises_listing)
