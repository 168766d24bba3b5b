"""Fictional parties: enterprises and 个体工商户 of 云澜市, and masked natural persons."""

# ruff: noqa: E501 - Chinese legal text tables; ruff counts each CJK character as two columns.

from __future__ import annotations

import random
from dataclasses import dataclass

from .codes import make_credit_code
from .places import CITY, CITY_PLACES, DISTRICTS, District

BRANDS = (
    "恒泰", "鑫源", "宏达", "华信", "金鼎", "瑞丰", "永盛", "德润", "嘉禾", "天成", "中瑞", "锦程", "汇通", "兴旺",
    "鼎盛", "昌隆", "福源", "润泽", "恒信", "博远", "华阳", "新亚", "金桥", "宝丰", "众诚", "万通", "百川", "弘毅",
    "远航", "祥和", "同创", "启明", "海纳", "乾元", "坤泰", "安泰", "通达", "顺发", "金源", "长兴", "利民", "丰源",
    "佳豪", "振华", "凯旋", "华茂", "康达", "旭日", "腾飞", "荣昌", "瑞祥", "鸿运", "融信", "金利", "明辉", "泰和",
    "富安", "广源", "聚力", "恒达", "新联", "三友", "澜泰", "云峰", "江源", "青禾", "东晟", "岭秀", "白鹭", "临港",
    "信达", "盛源", "联创", "汇丰源", "永固", "嘉诚", "华晟", "鑫达", "合力", "亿丰", "晶泰", "昊天", "俊发", "达丰",
)

# sector -> (organisation name endings, 个体工商户 name endings, weight, party kinds and their weights)
SECTORS: dict[str, tuple[tuple[str, ...], tuple[str, ...], int, tuple[tuple[str, int], ...]]] = {
    "hc": (("化工有限公司", "精细化工有限公司", "新材料科技有限公司", "化学工业有限公司", "涂料有限公司",
            "医药化工有限公司", "化肥有限责任公司", "树脂有限公司", "气体有限公司"), (), 18, (("org", 1),)),
    "ht": (("化工贸易有限公司", "石油化工销售有限公司", "能源有限公司", "化工原料经营部", "工贸有限公司",
            "油品销售有限公司"), ("化工商店", "油漆经营部"), 12, (("org", 9), ("ind", 1))),
    "ind": (("机械制造有限公司", "铸造有限公司", "木业有限公司", "家具有限公司", "纺织有限公司", "食品有限公司",
             "粮油有限公司", "包装材料有限公司", "塑胶制品有限公司", "金属制品有限公司", "钢结构有限公司",
             "建材有限公司", "水泥制品有限公司", "铝业有限公司", "饲料有限公司", "冷链食品有限公司",
             "汽车零部件有限公司", "服饰有限公司"),
            ("五金加工厂", "木器加工厂", "机械修理厂", "铝合金加工厂", "石材加工厂", "食品加工厂"),
            36, (("org", 4), ("ind", 1))),
    "mine": (("矿业有限公司", "石材有限公司", "砂石有限公司", "矿业开发有限公司", "石灰石矿业有限公司"),
             ("采石场",), 7, (("org", 9), ("ind", 1))),
    "wh": (("物流有限公司", "仓储有限公司", "冷链物流有限公司", "商贸有限公司", "供应链管理有限公司"),
           ("仓储服务部",), 10, (("org", 5), ("ind", 1))),
    "fw": (("烟花爆竹经营有限公司", "烟花爆竹批发有限公司"), ("烟花爆竹零售店", "烟花爆竹经营部", "百货商店"),
           7, (("ind", 5), ("org", 1))),
    "food": (("餐饮管理有限公司", "酒店管理有限公司", "餐饮有限公司"),
             ("餐馆", "饭店", "火锅店", "小吃店", "酒楼", "农家乐", "面馆"), 10, (("ind", 4), ("org", 1))),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"


def masked_name(rng: random.Random) -> str:
    """A natural person's name as bureaus publish it: surname + 某某 (or 某)."""
    return rng.choice(SURNAMES) + ("某某" if rng.random() < 0.8 else "某")


@dataclass(frozen=True)
class Party:
    name: str
    kind: str  # org / ind
    sector: str
    district: District
    credit_code: str
    representative: str  # masked
    founded: int


def _party_name(rng: random.Random, sector: str, kind: str, district: District) -> str:
    orgs, inds, _w, _k = SECTORS[sector]
    brand = rng.choice(BRANDS)
    if kind == "ind":
        towns = [p for p in district.places if p.endswith(("镇", "乡"))]
        town = rng.choice(towns) if towns and rng.random() < 0.4 else ""
        return f"{district.name}{town}{brand}{rng.choice(inds)}"
    r = rng.random()
    prefix = CITY if r < 0.45 else "云澜" if r < 0.6 else district.name if r < 0.85 else "江川"
    return f"{prefix}{brand}{rng.choice(orgs)}"


def build_pool(rng: random.Random, size: int) -> dict[str, list[Party]]:
    """Parties by sector.  Names and credit codes are unique; when a sector's names run out the pool
    simply stays smaller (parties then repeat more often, as repeat offenders do)."""
    weights = {s: v[2] for s, v in SECTORS.items()}
    total = sum(weights.values())
    pool: dict[str, list[Party]] = {s: [] for s in SECTORS}
    names: set[str] = set()
    codes: set[str] = set()
    for sector, (_o, _i, w, kinds) in SECTORS.items():
        want = max(3, round(size * w / total))
        kind_names = [k for k, _ in kinds]
        kind_weights = [kw for _, kw in kinds]
        misses = 0
        while len(pool[sector]) < want and misses < 200:
            kind = rng.choices(kind_names, kind_weights)[0]
            district = rng.choice(DISTRICTS)
            name = _party_name(rng, sector, kind, district)
            if name in names:
                misses += 1
                continue
            misses = 0
            code = make_credit_code(rng, "91" if kind == "org" else "92", district.region)
            if code in codes:
                continue
            names.add(name)
            codes.add(code)
            pool[sector].append(Party(name, kind, sector, district, code, masked_name(rng),
                                      rng.randint(1998, 2021)))
    return pool


def workplace(rng: random.Random, party: Party | None, sector: str) -> str:
    """A spot inside the party's premises, for 违法事实."""
    spots = {
        "hc": ("甲类仓库", "罐区", "合成车间", "二号生产装置区", "原料库房", "灌装车间"),
        "ht": ("储存仓库", "经营门店", "库房", "装卸区"),
        "ind": ("一号车间", "冲压车间", "喷涂车间", "打磨车间", "污水处理池", "铸造车间", "成品仓库"),
        "mine": ("采场", "破碎车间", "排土场", "炸药库", "矿区道路"),
        "wh": ("仓库", "冷库机房", "装卸平台", "分拣区"),
        "fw": ("经营场所", "门店", "临时仓储点"),
        "food": ("后厨", "操作间", "经营场所"),
    }[sector]
    spot = rng.choice(spots)
    if party is not None and rng.random() < 0.3:
        return f"位于{place_in(rng, party.district)}的{spot}"
    return spot


def place_in(rng: random.Random, district: District | None) -> str:
    """A street, town or park of the district, with the district's name in front (once)."""
    if district is None:
        return rng.choice(CITY_PLACES)
    return district.address(rng.choice(district.places))
