"""Synthetic 生产安全事故调查 records with the six report parts of 国务院令第493号 art. 30."""

# ruff: noqa: E501 - Chinese legal text tables; ruff counts each CJK character as two columns.

from __future__ import annotations

import random
from datetime import date, timedelta

from .codes import make_credit_code
from .dates import cn_date
from .parties import BRANDS, masked_name, place_in
from .penalties import fmt_wan
from .places import CITY, CITY_BUREAU_NAME, DISTRICTS, PROVINCE, District

LEVELS = ("一般", "较大", "重大", "特别重大")
# 493号 art. 3: lower bounds of 较大, 重大, 特别重大 for deaths, serious injuries, loss (万元)
THRESHOLDS = {"deaths": (3, 10, 30), "serious": (10, 50, 100), "loss": (1000, 5000, 10000)}
_RANGES = {
    "deaths": ((0, 2), (3, 9), (10, 29), (30, 45)),
    "serious": ((0, 9), (10, 49), (50, 99), (100, 160)),
    "loss": ((5.0, 999.0), (1000.0, 4999.0), (5000.0, 9999.0), (10000.0, 40000.0)),
}


def level_of(deaths: int, serious: int, loss_wan: float) -> str:
    """The 493号 art. 3 level: the highest level any one criterion reaches."""
    best = 0
    for key, value in (("deaths", deaths), ("serious", serious), ("loss", loss_wan)):
        for i, bound in enumerate(THRESHOLDS[key], 1):
            if value >= bound:
                best = max(best, i)
    return LEVELS[best]


# 所属行业 -> (company endings, accident types with weights, licence sentence)
INDUSTRIES = {
    "化工": (("化工有限公司", "精细化工有限公司", "新材料科技有限公司"),
             (("爆炸", 4), ("火灾", 3), ("中毒和窒息", 4), ("灼烫", 1)),
             "该公司持有危险化学品安全生产许可证，有效期至{y}年。"),
    "危险化学品": (("化工贸易有限公司", "石化仓储有限公司", "危险品储运有限公司"),
                   (("爆炸", 3), ("火灾", 3), ("中毒和窒息", 2)),
                   "该公司持有危险化学品经营许可证，有效期至{y}年。"),
    "建筑施工": (("建筑工程有限公司", "建设集团有限公司", "建筑安装工程有限公司"),
                 (("高处坠落", 6), ("物体打击", 3), ("坍塌", 3), ("起重伤害", 2), ("触电", 1)),
                 "该公司具有建筑工程施工总承包二级资质，持有建筑施工企业安全生产许可证，有效期至{y}年。"),
    "道路运输": (("运输有限公司", "汽车客运有限公司", "物流有限公司"), (("车辆伤害", 1),),
                 "该公司持有道路运输经营许可证，有效期至{y}年。"),
    "工贸": (("机械制造有限公司", "金属制品有限公司", "木业有限公司", "食品有限公司", "铝业有限公司"),
             (("机械伤害", 5), ("中毒和窒息", 3), ("触电", 2), ("爆炸", 1), ("火灾", 2), ("车辆伤害", 1)),
             "该公司已完成安全生产标准化三级达标。"),
    "矿山": (("矿业有限公司", "石材有限公司", "砂石有限公司"),
             (("坍塌", 3), ("物体打击", 2), ("车辆伤害", 2), ("爆炸", 1)),
             "该公司持有非煤矿矿山企业安全生产许可证，有效期至{y}年。"),
    "城镇燃气": (("燃气有限公司", "餐饮管理有限公司", "酒店管理有限公司"), (("爆炸", 3), ("火灾", 1)),
                 "该单位使用液化石油气作为燃料，燃气由{brand}燃气有限公司供应。"),
    "商贸": (("商贸有限公司", "商业管理有限公司", "仓储有限公司"), (("火灾", 3), ("触电", 1)),
             "该公司经营场所已通过消防验收。"),
}
_BIG_TYPES = ("爆炸", "火灾", "坍塌", "中毒和窒息", "车辆伤害")

SCOPES = {
    "化工": "化工产品生产（不含许可类化工产品）；专用化学产品制造；危险化学品生产",
    "危险化学品": "危险化学品经营；化工产品销售；普通货物仓储服务",
    "建筑施工": "房屋建筑和市政基础设施项目工程总承包；建设工程施工；土石方工程施工",
    "道路运输": "道路旅客运输经营；道路货物运输（不含危险货物）",
    "工贸": "金属制品加工；通用设备制造；机械零部件加工",
    "矿山": "建筑用石开采；非金属矿物制品制造；砂石加工",
    "城镇燃气": "餐饮服务；燃气经营；食品销售",
    "商贸": "日用百货销售；仓储服务；商业综合体管理服务",
}

DIRECT = {
    "爆炸": "{spot}内{medium}发生泄漏，与空气形成爆炸性混合物，作业人员在未进行气体检测的情况下违章动火作业，"
            "焊接产生的高温熔渣引燃爆炸性混合物，发生爆炸。",
    "火灾": "{spot}内电气线路老化、敷设不规范，发生短路产生的电弧引燃周边堆放的可燃物，火势迅速蔓延；"
            "现场可燃物数量大，疏散通道被堆放货物占用，导致人员未能及时疏散。",
    "中毒和窒息": "作业人员在未进行通风、未检测有毒有害气体浓度、未佩戴防护用品的情况下进入{spot}作业，"
                  "吸入高浓度硫化氢等有毒气体中毒；其他人员在未采取防护措施的情况下盲目施救，导致伤亡扩大。",
    "高处坠落": "作业人员在{spot}进行临边作业时未系挂安全带，作业平台防护栏杆被拆除后未恢复，作业人员失稳坠落。",
    "物体打击": "{spot}上方堆放的材料未固定，在外力作用下滑落，击中下方未撤离的作业人员。",
    "坍塌": "{spot}开挖深度超过规定，未按专项施工方案进行放坡和支护，土体失稳发生坍塌，将作业人员掩埋。",
    "机械伤害": "作业人员在{spot}设备运转状态下违章进行清理作业，设备防护罩缺失，被卷入运转部件。",
    "触电": "{spot}临时用电线路绝缘层破损，配电箱未安装漏电保护器，作业人员接触带电金属构件触电。",
    "车辆伤害": "驾驶人在{spot}驾驶车辆时超速行驶，操作不当致车辆失控，车辆制动系统维护不到位，制动效能不足。",
    "起重伤害": "{spot}塔式起重机吊运作业时吊索具选用不当，吊物捆绑不牢，司索信号工未到岗指挥，吊物坠落。",
    "灼烫": "作业人员在{spot}拆卸管道法兰时未确认管道内介质已排空，残留的高温碱液喷出致人灼烫。",
}
SPOTS = {
    "爆炸": ("储罐区", "合成车间", "餐饮操作间", "粉碎车间", "原料仓库"),
    "火灾": ("成品仓库", "生产车间", "商铺", "物流仓库"),
    "中毒和窒息": ("污水处理池", "发酵罐", "地下污水井", "反应釜"),
    "高处坠落": ("在建住宅楼十二层", "厂房屋面", "脚手架", "钢结构平台"),
    "物体打击": ("在建楼层", "采场边坡", "卸料平台"),
    "坍塌": ("基坑", "管沟", "采场边坡", "围墙"),
    "机械伤害": ("冲压车间", "混料车间", "输送带机头", "木工车间"),
    "触电": ("施工现场", "车间配电区域", "地下室"),
    "车辆伤害": ("县道", "厂区道路", "矿区运输道路", "国道"),
    "起重伤害": ("施工现场", "钢构车间"),
    "灼烫": ("蒸发工段", "管道检修现场"),
}
MEDIA = ("甲醇", "液化石油气", "天然气", "乙酸乙酯", "氢气", "苯乙烯")

INDIRECT = (
    "{company}安全生产主体责任不落实，安全生产责任制流于形式，未督促从业人员严格执行安全生产规章制度和操作规程。",
    "{company}事故隐患排查治理不到位，对作业现场长期存在的事故隐患未及时发现和消除。",
    "{company}安全生产教育和培训不到位，从业人员安全意识淡薄，不具备必要的安全生产知识和应急处置能力。",
    "{company}危险作业管理缺失，未执行作业审批制度，未安排专门人员进行现场安全管理。",
    "{company}未按规定制定现场处置方案，未组织应急演练，事故发生后现场人员应急处置不当。",
    "{company}将作业项目发包给不具备相应资质的单位，未签订专门的安全生产管理协议，未对其统一协调、管理。",
    "{district}应急管理局对该企业的安全生产监督检查不到位，对其存在的安全管理问题督促整改不力。",
    "属地{town}人民政府落实安全生产属地管理责任不到位，对辖区生产经营单位安全生产工作督促检查不力。",
)
MEASURES = (
    "（一）牢固树立安全发展理念。各级各部门要深刻吸取事故教训，坚持人民至上、生命至上，"
    "切实把安全生产责任落实到生产经营的每个环节、每个岗位。",
    "（二）严格落实企业安全生产主体责任。{company}要健全全员安全生产责任制，配齐安全生产管理人员，"
    "严格执行安全生产规章制度和操作规程。",
    "（三）深入开展事故隐患排查治理。各类生产经营单位要建立安全风险分级管控和隐患排查治理双重预防机制，"
    "对排查出的事故隐患做到整改措施、责任、资金、时限和预案“五落实”。",
    "（四）加强危险作业管理。严格落实动火、有限空间、高处、吊装、临时用电等危险作业审批制度，"
    "作业前进行风险辨识，安排专门人员进行现场安全管理。",
    "（五）强化安全生产教育培训。企业要加强从业人员岗前培训和经常性安全教育，特种作业人员必须持证上岗，"
    "提高从业人员风险辨识和应急处置能力。",
    "（六）提升应急处置能力。企业要完善生产安全事故应急预案，定期组织演练，严禁盲目施救。",
    "（七）加强安全生产监管执法。{district}应急管理局及有关行业主管部门要加大执法检查力度，"
    "对非法违法行为依法严厉查处，形成有力震慑。",
)
ROLES = ("安全员", "车间主任", "现场负责人", "生产副总经理", "项目经理", "班组长")


def _casualties(rng: random.Random, level: int, acc_type: str) -> tuple[int, int, float]:
    loss_weight = 15 if acc_type in ("火灾", "爆炸", "坍塌") else 0
    primary = rng.choices(("deaths", "serious", "loss"), (75, 10, loss_weight))[0] if level else "deaths"
    vals = {}
    for key in ("deaths", "serious", "loss"):
        lvl = level if key == primary else min(level, rng.choices((0, 1), (85, 15))[0]) if level else 0
        lo, hi = _RANGES[key][lvl]
        if key == "loss":
            vals[key] = rng.uniform(lo, hi)
        elif key == "deaths" and level == 0:
            vals[key] = rng.choices((0, 1, 2), (15, 65, 20))[0]
        elif key == "serious" and lvl == 0:
            vals[key] = rng.choices((0, 1, 2, 3, 5), (50, 25, 12, 8, 5))[0]
        else:
            vals[key] = rng.randint(lo, hi)
    if primary != "loss":
        # a loss in proportion to the casualties, never above the accident's level
        base = vals["deaths"] * rng.uniform(110, 190) + vals["serious"] * rng.uniform(20, 60) + rng.uniform(8, 300)
        vals["loss"] = min(base, _RANGES["loss"][level][1])
    loss = round(vals["loss"], rng.choice((0, 1, 2)))
    return int(vals["deaths"]), int(vals["serious"]), loss


def _company(rng: random.Random, industry: str, district: District, used: set[str]) -> str:
    for _ in range(50):
        prefix = rng.choice((CITY, district.name, "云澜"))
        name = prefix + rng.choice(BRANDS) + rng.choice(INDUSTRIES[industry][0])
        if name not in used:
            break
    used.add(name)
    return name


def accidents(rng: random.Random, n: int, as_of: date, *, earliest: date | None = None,
              force_levels: tuple[str, ...] = ()) -> list[dict]:
    if n <= 0:
        return []
    start = earliest or as_of - timedelta(days=3 * 365)
    names: set[str] = set()
    companies: set[str] = set()
    out = []
    for i in range(n):
        if i < len(force_levels):
            level = LEVELS.index(force_levels[i])
        else:
            level = rng.choices(range(4), (86, 11, 2.5, 0.5))[0]
        industry = rng.choices(list(INDUSTRIES), (10, 6, 14, 5, 16, 6, 5, 4))[0]
        types = INDUSTRIES[industry][1]
        if level >= 2:
            types = tuple(t for t in types if t[0] in _BIG_TYPES) or (("火灾", 1),)
            if level == 3:
                industry = rng.choice(("化工", "危险化学品", "商贸"))
                types = (("爆炸", 2), ("火灾", 1))
        acc_type = rng.choices([t for t, _ in types], [w for _, w in types])[0]
        deaths, serious, loss = _casualties(rng, level, acc_type)
        assert level_of(deaths, serious, loss) == LEVELS[level]
        lag = rng.randint(*((35, 75), (45, 80), (70, 150), (120, 240))[level])
        latest = as_of - timedelta(days=lag + 1)
        span = max((latest - start).days, 0)
        happened = latest - timedelta(days=rng.randint(0, span))
        approved = happened + timedelta(days=lag)
        district = rng.choice(DISTRICTS)
        company = _company(rng, industry, district, companies)
        level_word = "" if level == 0 else LEVELS[level]
        md = f"“{happened.month}·{happened.day}”"
        type_word = "道路运输" if acc_type == "车辆伤害" and industry == "道路运输" else acc_type
        if level == 0:
            name = f"{company}{md}{type_word}事故"
        else:
            name = f"{CITY}{district.name}{md}{level_word}{type_word}事故"
            if name in names:
                name = f"{company}{md}{level_word}{type_word}事故"
        k = 2
        base = name
        while name in names:
            name = base.replace("事故", f"事故（{k}）") if base.endswith("事故") else f"{base}{k}"
            k += 1
        names.add(name)

        lead = (f"{district.name}应急管理局", f"{CITY_BUREAU_NAME}", f"{PROVINCE}应急管理厅", "应急管理部")[level]
        approver = (district.government, f"{CITY}人民政府", f"{PROVINCE}人民政府", "国务院")[level]
        spot = rng.choice(SPOTS[acc_type])
        town = next((p for p in district.places if p.endswith(("镇", "乡", "街道"))), district.places[0])
        fill = dict(company=company, district=district.name, town=town, spot=spot, medium=rng.choice(MEDIA))
        rec = {
            "事故名称": name,
            "发生时间": happened.isoformat(),
            "发生地点": f"{place_in(rng, district)}{company}{spot}"
            if acc_type != "车辆伤害" or industry != "道路运输" else f"{district.name}境内{spot}",
            "所属行业": industry,
            "事故类型": acc_type,
            "事故等级": LEVELS[level],
            "死亡人数": str(deaths),
            "重伤人数": str(serious),
        }
        light = rng.choice((0, 0, 1, 2, 3, 5, 8)) + (deaths // 2)
        if rng.random() < 0.8:
            rec["轻伤人数"] = str(light)
        rec["直接经济损失（万元）"] = fmt_wan(loss)
        rec["事故发生单位"] = company
        rec["统一社会信用代码"] = make_credit_code(rng, "91", district.region)
        rec["事故经过"] = _course(rng, happened, acc_type, deaths, serious, light if "轻伤人数" in rec else 0,
                              loss, fill, level)
        rec["事故原因"] = _causes(rng, acc_type, fill)
        rec["事故性质"] = (f"经调查认定，{name}是一起因企业安全生产主体责任不落实、"
                       f"{rng.choice(('违章作业', '事故隐患未及时消除', '安全管理缺失'))}引发的"
                       f"{LEVELS[level]}生产安全责任事故。")
        rec["责任认定及处理建议"] = _liability(rng, company, district, level, deaths)
        rec["防范和整改措施"] = _measures(rng, fill)
        rec["调查组牵头单位"] = lead
        rec["批复机关"] = approver
        rec["批复日期"] = approved.isoformat()
        evaluated = approved + timedelta(days=rng.randint(280, 360))
        if evaluated <= as_of and rng.random() < 0.75:
            rec["整改评估日期"] = evaluated.isoformat()
        rec["事故发生单位概况"] = _profile(rng, company, industry, district, happened)
        out.append(rec)
    return out


def _profile(rng: random.Random, company: str, industry: str, district: District, happened: date) -> str:
    founded = rng.randint(2003, happened.year - 2)
    licence = INDUSTRIES[industry][2].format(y=happened.year + rng.randint(0, 2), brand=rng.choice(BRANDS))
    staff = rng.randint(18, 420)
    return (
        f"{company}成立于{founded}年{rng.randint(1, 12)}月，注册资本{rng.choice((200, 500, 1000, 2000, 5000))}万元，"
        f"法定代表人{masked_name(rng)}，住所位于{place_in(rng, district)}。"
        f"经营范围：{SCOPES[industry]}。\n\n"
        f"该公司现有从业人员{staff}人，其中专职安全生产管理人员{max(1, staff // 60)}人。{licence}"
        f"该公司制定了安全生产责任制和部分安全管理制度，但未有效落实。\n"
    )


def _course(rng, happened, acc_type, deaths, serious, light, loss, fill, level) -> str:
    hh, mm = rng.randint(7, 22), rng.randint(0, 59)
    who = masked_name(rng)
    p1 = (f"{cn_date(happened)}{hh}时{mm}分许，{fill['company']}作业人员{who}等人在{fill['spot']}进行作业。"
          + DIRECT[acc_type].format(**fill).replace("。", "，", 1).split("，")[0]
          + "，随即发生事故。")
    p2 = (f"事故发生后，现场人员立即拨打119、120报警。{fill['district']}消防救援大队、应急管理局、公安分局、"
          f"卫生健康局等单位接报后迅速赶赴现场开展救援，"
          f"{'市委、市政府主要负责同志赶赴现场指挥处置，' if level else ''}"
          f"救援工作于当日{min(hh + rng.randint(1, 4), 23)}时许结束，受伤人员被送往医院救治。")
    harm = [f"{deaths}人死亡"] if deaths else []
    if serious:
        harm.append(f"{serious}人重伤")
    if light:
        harm.append(f"{light}人轻伤")
    harm_text = "、".join(harm) if harm else "无人员伤亡"
    p3 = f"事故共造成{harm_text}，直接经济损失{fmt_wan(loss)}万元。"
    return f"{p1}\n\n{p2}\n\n{p3}\n"


def _causes(rng, acc_type, fill) -> str:
    indirect = rng.sample(INDIRECT, 4)
    lines = [f"{i}.{t.format(**fill)}" for i, t in enumerate(indirect, 1)]
    return "（一）直接原因\n" + DIRECT[acc_type].format(**fill) + "\n（二）间接原因\n" + "\n".join(lines) + "\n"


def _liability(rng, company, district, level, deaths) -> str:
    item = ("一", "二", "三", "四")[level]
    pct = ("四十", "六十", "八十", "一百")[level]
    role1, role2 = rng.sample(ROLES, 2)
    a, b, c, d = (masked_name(rng) for _ in range(4))
    parts = ["（一）建议移送司法机关处理的人员"]
    if deaths:
        parts.append(f"1.{a}，{company}{role1}，违章指挥作业，对事故发生负有直接责任，涉嫌重大责任事故罪，"
                     "建议由司法机关依法处理。")
    else:
        parts.append("无。")
    parts += [
        "（二）建议给予行政处罚的单位和人员",
        f"1.{company}，安全生产主体责任不落实，对事故发生负有责任。建议由应急管理部门依据"
        f"《中华人民共和国安全生产法》第一百一十四条第一款第{item}项的规定，对其处以罚款。",
        f"2.{b}，{company}主要负责人，未履行安全生产管理职责，对事故发生负有主要领导责任。建议由应急管理部门依据"
        f"《中华人民共和国安全生产法》第九十五条第{item}项的规定，处上一年年收入百分之{pct}的罚款。",
        f"3.{c}，{company}{role2}，未履行安全生产管理职责，对事故发生负有责任。建议依据"
        "《中华人民共和国安全生产法》第九十六条的规定，对其处以罚款。",
        "（三）建议给予政务处分的人员",
        f"1.{d}，{district.name}应急管理局执法人员，对该企业监督检查不到位，建议给予政务警告处分。",
        "（四）其他建议",
        f"责成{district.government}向{CITY}人民政府作出深刻书面检查。",
    ]
    return "\n".join(parts) + "\n"


def _measures(rng, fill) -> str:
    chosen = [MEASURES[0], *sorted(rng.sample(MEASURES[1:], 4), key=MEASURES.index)]
    return "\n".join(f"（{_CN_NUM[i]}）{m[3:].format(**fill)}" for i, m in enumerate(chosen)) + "\n"


_CN_NUM = "一二三四五六七八九十"
