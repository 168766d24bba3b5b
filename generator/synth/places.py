"""The fictional city of 云澜市 (province 江川省): its districts and counties, their emergency-management
bureaus, streets and industrial parks.  Everything here is invented."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .codes import make_credit_code

CITY = "云澜市"
PROVINCE = "江川省"
CITY_BUREAU_NAME = "云澜市应急管理局"
CITY_REGION = "429900"
AREA_CODE = "0716"


@dataclass(frozen=True)
class District:
    name: str  # 青溪区
    short: str  # 青溪
    region: str  # 行政区划码 (fictional)
    government: str  # 青溪区人民政府
    places: tuple[str, ...]  # streets, towns and parks inside it

    def address(self, place: str) -> str:
        """The place with its district in front, once: a park named after its county
        (临江县经济开发区) is not prefixed again (it read 临江县临江县经济开发区)."""
        return place if place.startswith(self.name) else self.name + place


@dataclass(frozen=True)
class Bureau:
    name: str
    doc_prefix: str  # 行政处罚决定书文号 prefix, e.g. 云应急罚
    region: str
    credit_code: str
    district: District | None  # None for the city bureau
    phone_prefix: str  # first digits of its office numbers after 8


DISTRICTS = (
    District("青溪区", "青溪", "429902", "青溪区人民政府",
             ("青溪街道", "望江路", "滨湖工业园", "青溪大道", "文昌路", "柳湾街道")),
    District("东港区", "东港", "429903", "东港区人民政府",
             ("东港经济开发区", "港城大道", "临港化工园区", "东港街道", "海棠路", "新港物流园")),
    District("西岭区", "西岭", "429904", "西岭区人民政府",
             ("西岭街道", "岭南路", "西岭科技园", "桃源路", "枫林镇")),
    District("云山县", "云山", "429921", "云山县人民政府",
             ("云山镇", "云山县化工园区", "石桥镇", "茶园乡", "凤鸣工业园")),
    District("临江县", "临江", "429922", "临江县人民政府",
             ("临江镇", "沙洲工业园", "渡口镇", "临江县经济开发区", "芦湾乡")),
    District("白石县", "白石", "429923", "白石县人民政府",
             ("白石镇", "龙潭乡", "白石矿业园", "松岗镇", "白石县产业园")),
)

CITY_PLACES = ("云澜高新技术产业开发区", "云澜经济技术开发区", "云澜港区")


def _bureau(name: str, doc_prefix: str, region: str, district: District | None, phone: str) -> Bureau:
    code = make_credit_code(random.Random("bureau:" + name), "11", region)
    return Bureau(name, doc_prefix, region, code, district, phone)


CITY_BUREAU = _bureau(CITY_BUREAU_NAME, "云应急罚", CITY_REGION, None, "83")
DISTRICT_BUREAUS = tuple(
    _bureau(d.name + "应急管理局", d.short + "应急罚", d.region, d, str(84 + i))
    for i, d in enumerate(DISTRICTS)
)
BUREAUS = (CITY_BUREAU, *DISTRICT_BUREAUS)
BUREAU_BY_DISTRICT = {b.district.name: b for b in DISTRICT_BUREAUS if b.district}
