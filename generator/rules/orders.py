"""The order the law and the national standards give to enumerated values, so that a list of choices
reads in its meaning's order (特别重大 before 一般), not in code-point order.

Values a list does not know come after the known ones (the caller decides how: by count, then by
code point, in generator.search.order).
"""

from __future__ import annotations

from generator.rules.levels import LEVELS

# 《中华人民共和国行政处罚法》（2021）第九条: (一)警告、通报批评；(二)罚款、没收违法所得、没收非法财物；
# (三)暂扣许可证件、降低资质等级、吊销许可证件；(四)限制开展生产经营活动、责令停产停业、责令关闭、限制从业；
# (五)行政拘留；(六)法律、行政法规规定的其他行政处罚.  Older wordings (暂扣许可证, 责令停产停业整顿) stand beside
# their article-9 form; the 安全生产法's own kinds (责令停止建设 …) among “其他”.
PENALTY_CATEGORIES = (
    "警告", "通报批评",
    "罚款", "没收违法所得", "没收非法财物",
    "暂扣许可证件", "暂扣许可证", "暂扣或者吊销许可证", "降低资质等级", "吊销许可证件", "吊销许可证",
    "限制开展生产经营活动", "责令停产停业", "责令停产停业整顿", "责令关闭", "限制从业",
    "行政拘留",
    "责令停止建设", "责令停止使用", "其他",
)

# Most severe first (国务院令第493号 第三条), as a listing shows them: 特别重大事故 … 一般事故, then 未认定.
ACCIDENT_LEVELS_SEVERE_FIRST = tuple(reversed(LEVELS))

# GB 6441-1986《企业职工伤亡事故分类》's twenty types in the standard's order; a plain 爆炸 stands with
# the explosions, 其他 beside 其它.
ACCIDENT_TYPES = (
    "物体打击", "车辆伤害", "机械伤害", "起重伤害", "触电", "淹溺", "灼烫", "火灾", "高处坠落", "坍塌",
    "冒顶片帮", "透水", "放炮", "爆炸", "火药爆炸", "瓦斯爆炸", "锅炉爆炸", "容器爆炸", "其它爆炸", "其他爆炸",
    "中毒和窒息", "其它伤害", "其他伤害",
)


def law_rank(name: str) -> int:
    """法律 0, 行政法规 (条例) 1, 规章 (规定, 办法, 细则 …) 2, anything else 3: the order of legal force,
    by the name's ending (a law's name ends in 法, a 办法 is a rule)."""
    name = name.strip()
    if name.endswith("法") and not name.endswith("办法"):
        return 0
    if name.endswith("条例"):
        return 1
    if name.endswith(("规定", "办法", "细则", "规则", "规程", "决定")):
        return 2
    return 3
