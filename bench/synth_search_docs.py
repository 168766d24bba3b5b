"""Deterministic synthetic penalty-like search docs for the search benchmark and tests.

Small on purpose (no dependency on the project's synth package, which is written in parallel):
realistic vocabulary, 文书号 like 云应急罚〔2024〕123号, 18-character credit codes with the GB 32100
check character, amounts in 元.
"""

from __future__ import annotations

import random

from generator.search import SearchDoc

CITIES = ["昆明", "曲靖", "玉溪", "保山", "昭通", "丽江", "普洱", "临沧", "楚雄", "红河", "文山", "大理"]
PREFIX = {
    "昆明": "昆",
    "曲靖": "曲",
    "玉溪": "玉",
    "保山": "保",
    "昭通": "昭",
    "丽江": "丽",
    "普洱": "普",
    "临沧": "临",
    "楚雄": "楚",
    "红河": "红",
    "文山": "文",
    "大理": "大",
}
TRADE = [
    "化工",
    "矿业",
    "建材",
    "物流",
    "燃气",
    "冶金",
    "烟花爆竹",
    "机械制造",
    "食品",
    "商贸",
    "建筑工程",
    "能源",
]
SUFFIX = ["有限公司", "有限责任公司", "股份有限公司", "厂", "经营部"]
WORDS = [
    "宏达",
    "鑫源",
    "华泰",
    "永安",
    "兴旺",
    "恒通",
    "金盛",
    "瑞丰",
    "东方",
    "天成",
    "润泽",
    "博远",
    "德盛",
    "中联",
]
INDUSTRY = ["危险化学品", "非煤矿山", "冶金", "工贸", "烟花爆竹", "建材", "有色", "机械", "轻工", "纺织"]
VIOLATIONS = [
    "未按规定对从业人员进行安全生产教育和培训",
    "特种作业人员未按照规定经专门的安全作业培训并取得相应资格上岗作业",
    "未建立事故隐患排查治理制度",
    "未对重大危险源进行登记建档和定期检测评估",
    "危险化学品储存场所未设置明显的安全警示标志",
    "未如实记录安全生产教育和培训情况",
    "未按照规定制定生产安全事故应急救援预案",
    "使用国家明令淘汰的危及生产安全的工艺和设备",
    "未采取措施消除事故隐患",
    "生产经营单位主要负责人未履行安全生产管理职责",
]
BASIS = [
    "《中华人民共和国安全生产法》第九十七条第一项",
    "《中华人民共和国安全生产法》第一百零二条",
    "《危险化学品安全管理条例》第八十条",
    "《安全生产违法行为行政处罚办法》第四十五条",
    "《生产安全事故应急预案管理办法》第四十五条",
]
CATEGORIES = [("罚款",), ("警告", "罚款"), ("罚款", "责令停产停业"), ("警告",), ("罚款", "没收违法所得")]
AREAS = ["经开区", "高新区", "工业园区", "城区"]
# Street names from a pool of common characters: many rare bigrams, as in real addresses.
STREET_CHARS = "青松翠柏金碧滇池北京南昌人民东风环城西坝白塔书林螺狮湾官渡五华盘龙呈贡安宁海埂龙泉穿新闻拓"
PARTY = ["法人及非法人组织", "法人及非法人组织", "法人及非法人组织", "个体工商户"]
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(rng: random.Random) -> str:
    # 91 (enterprise) + 6-digit region (53xxxx: Yunnan) + 9-character subject code, + check
    region = "53" + "".join(rng.choice("0123456789") for _ in range(4))
    first = "91" + region + "".join(rng.choice(CREDIT_ALPHABET) for _ in range(9))
    total = sum(CREDIT_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first))
    check = 31 - total % 31
    return first + CREDIT_ALPHABET[0 if check == 31 else check]


def synth_docs(n: int, seed: int = 7) -> list[SearchDoc]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        city = CITIES[i % len(CITIES)]
        year = 2019 + (i * 7 + rng.randrange(3)) % 7
        month, day = rng.randrange(1, 13), rng.randrange(1, 29)
        number = i // len(CITIES) + 1
        docno = f"{PREFIX[city]}应急罚〔{year}〕{number}号"
        company = f"{city}{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(TRADE)}{rng.choice(SUFFIX)}"
        code = credit_code(rng)
        viol = rng.sample(VIOLATIONS, rng.randrange(1, 4))
        cats = rng.choice(CATEGORIES)
        amount = (
            rng.choice([5000, 10000, 20000, 30000, 50000, 80000, 100000, 200000]) + rng.randrange(0, 5) * 1000
        )
        industry = rng.choice(INDUSTRY)
        authority = f"{city}市应急管理局"
        street = "".join(rng.choice(STREET_CHARS) for _ in range(2)) + f"路{rng.randrange(1, 300)}号"
        date = f"{year}-{month:02d}-{day:02d}"
        text = (
            f"行政处罚决定书文号：{docno}。当事人：{company}，统一社会信用代码：{code}。"
            f"经查，该单位存在以下违法行为：{'；'.join(viol)}。"
            f"检查人员于{year}年{month}月{day}日在{city}市{rng.choice(AREAS)}{street}"
            f"现场检查时发现，并责令限期整改隐患排查治理不到位的问题。"
            f"以上事实违反了相关规定，依据{rng.choice(BASIS)}的规定，"
            f"决定给予{'、'.join(cats)}的行政处罚，罚款人民币{amount}元。"
            f"处罚机关：{authority}。所属行业：{industry}。"
        )
        docs.append(
            SearchDoc(
                url=f"penalties/{i:06d}/",
                title=f"{company}行政处罚决定（{docno}）",
                kind="penalty",
                date=date,
                text=text,
                identifiers=(docno, code),
                facets={
                    "category": cats,
                    "industry": (industry,),
                    "authority": (authority,),
                    "party": (rng.choice(PARTY),),
                },
                sort_keys={"amount": float(amount)},
                fields={"文书号": docno, "当事人": company, "罚款金额": f"{amount}元"},
            )
        )
    return docs
