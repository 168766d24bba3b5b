"""What each listing shows: columns, filters and sort keys of penalties, accidents, powers, enterprises."""

from __future__ import annotations

from generator.site import urls
from generator.site.display import cn_date, join, party_name, yuan, yuan_number
from generator.site.listings import Cell, Filter, Listing, Row, Sort
from generator.site.record_views import Context

DATE_SORTS = (Sort("-date", "决定日期（由近及远）", 0, True), Sort("date", "决定日期（由远及近）", 0, False))


def penalties_listing(ctx: Context) -> Listing:
    rows = []
    for e in ctx.index.publication.public_penalties:
        r = e.record
        rows.append(
            Row(
                cells=(
                    Cell(r.decision_number, urls.penalty(r)),
                    Cell(cn_date(r.decision_date)),
                    Cell(party_name(r, ctx.settings)),
                    Cell(r.violation_type),
                    Cell(join(r.categories)),
                    Cell(yuan(r.fine_wan)),
                    Cell(r.authority),
                ),
                filters=(
                    str(r.decision_date.year),
                    r.categories,
                    r.violation_type,
                    r.authority,
                    r.party_type,
                ),
                sorts=(r.decision_date.toordinal(), yuan_number(r.fine_wan)),
                shard=str(r.decision_date.year),
            )
        )
    return Listing(
        section=urls.PENALTIES,
        title="行政处罚决定",
        caption="公示中的行政处罚决定（按决定日期由近及远）",
        columns=("决定书文号", "决定日期", "当事人", "违法行为类型", "处罚类别", "罚款金额", "处罚机关"),
        numeric=(5,),
        rows=rows,
        per_page=ctx.settings.records_per_page,
        filters=(
            Filter("year", "年份"),
            Filter("category", "处罚类别"),
            Filter("violation", "违法行为类型"),
            Filter("authority", "处罚机关"),
            Filter("party", "当事人类别"),
        ),
        sorts=(
            *DATE_SORTS,
            Sort("-amount", "罚款金额（由高到低）", 1, True),
            Sort("amount", "罚款金额（由低到高）", 1, False),
        ),
        intro="依法公示的行政处罚决定。公示期满、已撤销或变更的决定不再列出。自然人姓名已作脱敏处理。",
    )


def accidents_listing(ctx: Context) -> Listing:
    rows = []
    for e in ctx.index.publication.public_accidents:
        r = e.record
        status = ctx.index.publication.accident(r.key)
        level = f"{status.level}事故" if status.level else "未认定"
        rows.append(
            Row(
                cells=(
                    Cell(r.name, urls.accident(r)),
                    Cell(cn_date(r.occurred_date)),
                    Cell(level),
                    Cell(r.industry or ""),
                    Cell(r.accident_type or ""),
                    Cell("" if r.deaths is None else str(r.deaths)),
                    Cell(yuan(r.loss_wan)),
                ),
                filters=(str(r.occurred_date.year), level, r.industry or "", r.accident_type or ""),
                sorts=(r.occurred_date.toordinal(), r.deaths or 0, yuan_number(r.loss_wan)),
                shard="all",
            )
        )
    return Listing(
        section=urls.ACCIDENTS,
        title="生产安全事故调查",
        caption="生产安全事故调查报告（按发生时间由近及远）",
        columns=("事故名称", "发生日期", "事故等级", "所属行业", "事故类型", "死亡人数", "直接经济损失"),
        numeric=(5, 6),
        rows=rows,
        per_page=ctx.settings.records_per_page,
        filters=(
            Filter("year", "年份"),
            Filter("level", "事故等级"),
            Filter("industry", "所属行业"),
            Filter("type", "事故类型"),
        ),
        sorts=(
            Sort("-date", "发生日期（由近及远）", 0, True),
            Sort("date", "发生日期（由远及近）", 0, False),
            Sort("-deaths", "死亡人数（由多到少）", 1, True),
            Sort("-loss", "直接经济损失（由高到低）", 2, True),
        ),
        intro="依法公开的生产安全事故调查报告及整改评估情况。",
    )


def power_items_listing(ctx: Context) -> Listing:
    rows = []
    for e in ctx.index.publication.public_power_items:
        r = e.record
        penalties = len(ctx.index.penalties_by_power.get(r.code, []))
        rows.append(
            Row(
                cells=(
                    Cell(r.code, urls.power_item(r)),
                    Cell(r.name),
                    Cell(r.item_type),
                    Cell(r.office or ""),
                    Cell(r.level or ""),
                    Cell(str(penalties)),
                ),
                filters=(r.item_type, r.office or ""),
                sorts=(penalties,),
                shard="all",
            )
        )
    return Listing(
        section=urls.POWER_ITEMS,
        title="权责清单",
        caption="权责清单事项（按事项编码排列）",
        columns=("事项编码", "事项名称", "事项类型", "承办机构", "行使层级", "公示中的处罚"),
        numeric=(5,),
        rows=rows,
        per_page=max(ctx.settings.records_per_page, 100),
        filters=(Filter("type", "事项类型"), Filter("office", "承办机构")),
        sorts=(Sort("-penalties", "处罚件数（由多到少）", 0, True),),
        intro="本局依法行使的行政权力及其设定依据、责任事项和追责情形。子项单独列出，并在父项页面中链接。",
    )


def enterprises_listing(ctx: Context) -> Listing:
    rows = [
        Row(
            cells=(
                Cell(e.name, e.url),
                Cell(e.credit_code or "—"),
                Cell(str(len(e.penalties))),
                Cell(str(len(e.accidents))),
            ),
            filters=(),
            sorts=(),
            shard="all",
        )
        for e in ctx.index.enterprises
    ]
    return Listing(
        section=urls.ENTERPRISES,
        title="单位信息",
        caption="有公示记录的单位（按统一社会信用代码排列）",
        columns=("单位名称", "统一社会信用代码", "行政处罚", "生产安全事故"),
        numeric=(2, 3),
        rows=rows,
        per_page=max(ctx.settings.records_per_page, 100),
        intro="按统一社会信用代码（无代码的按名称）归集的单位处罚和事故记录。自然人不设页面。",
    )


LISTINGS = (penalties_listing, accidents_listing, power_items_listing, enterprises_listing)
