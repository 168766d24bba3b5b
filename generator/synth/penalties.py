"""Synthetic 行政处罚决定 records."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

from .catalog import VIOLATIONS, Violation
from .dates import WorkCalendar, add_months, cn_date
from .parties import SECTORS, Party, build_pool, masked_name, workplace
from .places import BUREAU_BY_DISTRICT, CITY_BUREAU, Bureau

SEVERITIES = ("轻微", "一般", "严重")
REVOKE_REASONS = (
    "经行政复议，原处罚决定被撤销",
    "经行政诉讼，人民法院判决撤销原处罚决定",
    "本机关在执法监督中发现原处罚决定认定事实不清，依法自行撤销原处罚决定",
)
NOTES = (
    "当事人已按期缴纳罚款。", "已履行完毕。", "当事人已申请延期缴纳罚款，经批准延期至三个月内缴纳。",
    "本案经法制审核和集体讨论决定。", "当事人主动消除违法行为危害后果，依法从轻处罚。",
    "当事人在规定期限内未申请行政复议或者提起行政诉讼。", "已完成整改并经复查合格。",
)
_ACCIDENT_KEYS = {"aq95", "aq110", "aq114-1", "aq114-2", "sg35-2"}


def fmt_wan(x: float) -> str:
    """A 万元 amount as a short decimal string: 2.5, 0.8, 10, 0.35."""
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return s or "0"


def _round_fine(x: float) -> float:
    step = 0.1 if x < 5 else 0.5 if x < 20 else 1 if x < 100 else 5
    return max(step, round(round(x / step) * step, 4))


def _fine(rng: random.Random, lo: float, hi: float, severity: str) -> float:
    span = hi - lo
    a, b = {"轻微": (0.0, 0.2), "一般": (0.05, 0.6), "严重": (0.5, 1.0)}[severity]
    return min(hi, _round_fine(lo + span * rng.uniform(a, b)))


def _age_days(rng: random.Random, severity: str, window: int) -> int:
    """Days between the decision and as_of, weighted so that most records are still public."""
    r = rng.random()
    if severity == "轻微":
        age = rng.randint(0, 90) if r < 0.7 else rng.randint(91, 365)
    elif severity == "一般":
        age = rng.randint(0, 364) if r < 0.75 else rng.randint(365, 3 * 365)
    else:
        age = rng.randint(0, 3 * 365 - 1)
    return min(age, window)


def _content(v: Violation, cats: tuple[str, ...], fine: float, conf: float, months: int, n: int) -> str:
    parts = [v.order] if v.order else []
    for c in cats:
        if c == "警告":
            parts.append("给予警告")
        elif c == "罚款":
            yuan = round(fine * 10000)
            parts.append(f"处罚款人民币{yuan}元" if yuan % 10000 else f"处人民币{fmt_wan(fine)}万元罚款")
        elif c == "没收违法所得":
            parts.append(f"没收违法所得人民币{round(conf * 10000)}元")
        elif c == "没收非法财物":
            what = f"烟花爆竹{n}箱" if v.key == "yh36" else "危险化学品"
            parts.append(f"没收非法经营的{what}")
        elif c == "责令停产停业":
            parts.append(f"责令停产停业整顿{months}个月")
    return "，".join(parts) + "。"


class _Picker:
    """Fast weighted choices over a fixed population."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))

    def __call__(self, rng: random.Random):
        return rng.choices(self.items, cum_weights=self.cum)[0]


def penalties(
    rng: random.Random,
    n: int,
    as_of: date,
    vmap: dict[str, str],
    *,
    earliest: date | None = None,
    pool_size: int | None = None,
) -> list[dict]:
    if n <= 0:
        return []
    window_start = earliest or as_of - timedelta(days=3 * 365)
    window = (as_of - window_start).days
    cal = WorkCalendar(window_start - timedelta(days=120), as_of + timedelta(days=60))
    pool = build_pool(rng, pool_size or max(40, min(int(n * 0.6), 60000)))

    viols = [v for v in VIOLATIONS if v.weight and v.facts]
    vpick = _Picker(viols, [v.weight for v in viols])
    sev_picks = {v.key: _Picker(SEVERITIES, v.sev) for v in viols}
    cat_picks = {v.key: _Picker([c for c, _ in v.cats], [w for _, w in v.cats]) for v in viols}
    sector_picks = {v.key: _Picker(v.sectors, [SECTORS[s][2] for s in v.sectors]) for v in viols}
    all_sectors = _Picker(list(SECTORS), [SECTORS[s][2] for s in SECTORS])

    drafts: list[dict] = []
    for _ in range(n):
        v = vpick(rng)
        severity = sev_picks[v.key](rng)
        age = _age_days(rng, severity, window)
        idx = cal.index_on_or_before(as_of - timedelta(days=age))
        decided = cal.days[idx]
        if decided < window_start:
            idx += 1
            decided = cal.days[idx]

        person = v.parties == ("person",) or ("person" in v.parties and rng.random() < 0.15)
        party: Party | None = None
        for _try in range(6):
            sector = sector_picks[v.key](rng) if not person else all_sectors(rng)
            cand = pool[sector]
            if not cand:
                continue
            party = rng.choice(cand)
            if person or party.kind in v.parties:
                break
        assert party is not None
        district = party.district
        city_share = 0.5 if party.sector in ("hc", "mine") else 0.25
        bureau: Bureau = CITY_BUREAU if rng.random() < city_share else BUREAU_BY_DISTRICT[district.name]

        nn, mm = rng.randint(2, 8), rng.randint(1, 3)
        inspected = decided - timedelta(days=rng.randint(25, 80))
        fill = dict(area=workplace(rng, party, party.sector), n=nn, m=mm, company=party.name,
                    year=inspected.year - (v.key in _ACCIDENT_KEYS and rng.random() < 0.3),
                    date0=cn_date(inspected))
        finding = rng.choice(v.facts).format(**fill)
        if v.key in _ACCIDENT_KEYS:
            fact = f"经事故调查组调查认定，{finding}。"
        elif person:
            fact = f"{cn_date(inspected)}，执法人员检查时发现，{finding}。" if v.parties != ("person",) \
                else f"经查，{finding}。"
        elif "{date0}" in "".join(v.facts):
            fact = finding + "。"
        else:
            fact = f"{cn_date(inspected)}，{bureau.name}执法人员对该单位进行执法检查时发现，{finding}。"
        fact += f"上述行为违反了{v.breach}的规定。"
        if rng.random() < 0.4:
            fact += "以上事实有现场检查记录、询问笔录、现场照片及视频资料等证据为证。"

        cats = cat_picks[v.key](rng)
        if severity == "轻微" and rng.random() < 0.6 and v.fine and v.fine[0] <= 1:
            cats = ("警告",)
        fine = _fine(rng, *v.fine, severity) if v.fine and "罚款" in cats else 0.0
        conf = 0.0
        if "没收违法所得" in cats or "没收非法财物" in cats:
            conf = _round_fine(rng.uniform(0.05, 1.5)) if "没收违法所得" in cats else round(nn * 0.06, 2)
        months = rng.randint(1, 3)

        rec: dict = {}
        if person:
            rec["行政相对人名称"] = masked_name(rng)
            rec["行政相对人类别"] = "自然人"
            rec["证件类型"] = "身份证"
        else:
            rec["行政相对人名称"] = party.name
            rec["行政相对人类别"] = "法人及非法人组织" if party.kind == "org" else "个体工商户"
            rec["统一社会信用代码"] = party.credit_code
            rec["法定代表人"] = party.representative
            rec["法定代表人证件类型"] = "身份证"
        rec["行政处罚决定书文号"] = ""  # assigned below, in date order per issuing bureau and year
        rec["违法行为类型"] = v.type
        rec["违法事实"] = fact
        rec["处罚依据"] = v.basis
        rec["处罚类别"] = list(cats)
        rec["处罚内容"] = _content(v, cats, fine, conf, months, nn)
        if fine:
            rec["罚款金额（万元）"] = fmt_wan(fine)
        if conf:
            rec["没收违法所得、没收非法财物的金额（万元）"] = fmt_wan(conf)
        rec["处罚决定日期"] = decided.isoformat()
        if "责令停产停业" in cats:
            rec["处罚有效期"] = add_months(decided, months).isoformat()
        if rng.random() < 0.12:
            span = {"轻微": 3, "一般": rng.choice((6, 12)), "严重": rng.choice((12, 24, 36))}[severity]
            rec["公示截止期"] = add_months(decided, span).isoformat()
        rec["处罚机关"] = bureau.name
        rec["处罚机关统一社会信用代码"] = bureau.credit_code
        rec["数据来源单位"] = bureau.name
        rec["数据来源单位统一社会信用代码"] = bureau.credit_code
        if rng.random() < 0.2:
            rec["备注"] = rng.choice(NOTES)
        rec["失信严重程度"] = severity
        rec["状态"] = "正常"
        if v.key in vmap:
            rec["权责事项编码"] = vmap[v.key]
        r = rng.random()
        delay = 0 if r < 0.03 else rng.randint(1, 6) if r < 0.93 else rng.randint(8, 25)
        published = min(cal.add(idx, delay), as_of)
        rec["公示日期"] = published.isoformat()
        drafts.append({"rec": rec, "bureau": bureau, "date": decided, "idx": idx})

    _number(drafts)
    _change_states(rng, drafts, as_of)
    return [d["rec"] for d in drafts]


def _number(drafts: list[dict]) -> None:
    """Unique 文号: each bureau numbers its decisions of a year 1, 2, 3 … in date order."""
    order = sorted(range(len(drafts)), key=lambda i: (drafts[i]["bureau"].doc_prefix, drafts[i]["date"], i))
    counters: dict[tuple[str, int], int] = {}
    for i in order:
        d = drafts[i]
        key = (d["bureau"].doc_prefix, d["date"].year)
        counters[key] = counters.get(key, 0) + 1
        d["rec"]["行政处罚决定书文号"] = f"{key[0]}〔{key[1]}〕{counters[key]}号"


def _change_states(rng: random.Random, drafts: list[dict], as_of: date) -> None:
    n = len(drafts)
    cutoff = (as_of - timedelta(days=41)).isoformat()
    eligible = [i for i, d in enumerate(drafts) if d["rec"]["公示日期"] <= cutoff]
    n_revoke = min(len(eligible), max(round(n * 0.01), 1 if n >= 50 else 0))
    n_change = min(len(eligible) - n_revoke, max(round(n * 0.006), 1 if n >= 100 else 0))
    picked = rng.sample(eligible, n_revoke + n_change) if n_revoke + n_change else []
    for j, i in enumerate(picked):
        rec = drafts[i]["rec"]
        published = date.fromisoformat(rec["公示日期"])
        changed = published + timedelta(days=rng.randint(20, min(120, (as_of - published).days - 1)))
        rec["状态变更日期"] = changed.isoformat()
        if j < n_revoke:
            rec["状态"] = "撤销"
            rec["状态变更原因"] = rng.choice(REVOKE_REASONS)
        elif "罚款金额（万元）" in rec:
            rec["状态"] = "变更"
            old = rec["罚款金额（万元）"]
            new = fmt_wan(_round_fine(float(old) * 0.6))
            rec["罚款金额（万元）"] = new
            rec["处罚内容"] = rec["处罚内容"].replace(
                f"人民币{old}万元", f"人民币{new}万元").replace(
                f"人民币{round(float(old) * 10000)}元", f"人民币{round(float(new) * 10000)}元")
            rec["状态变更原因"] = f"经行政复议，罚款金额由人民币{old}万元变更为人民币{new}万元"
        else:
            rec["状态"] = "变更"
            rec["状态变更原因"] = "原处罚决定书中违法事实表述有误，经本机关依法更正"
            rec["违法事实"] = rec["违法事实"].replace("以上事实有", "经更正，以上事实有")
