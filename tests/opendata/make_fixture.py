"""Writes tests/opendata/fixtures/data/ (canonical YAML): a small catalog with the edge cases the
open-data outputs must survive — formula-looking cells, a natural person, multi-line text, expired,
withdrawn and future records.  Run it again after a schema change:  python tests/opendata/make_fixture.py
"""

from __future__ import annotations

from pathlib import Path

from generator.rules.identifiers import make_credit_code
from generator.schema.kinds import KINDS
from generator.sources.yaml_writer import dump_records

OUT = Path(__file__).parent / "fixtures" / "data"
CITY = make_credit_code("11429900MB0123456")
DISTRICT = make_credit_code("11429903MB0654321")
FINE = "罚款金额（万元）"


def penalty(number: str, date: str, **fields: object) -> dict:
    row: dict = {
        "行政相对人名称": "云澜市恒泰化工有限公司",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": make_credit_code("91429900MA4K1B2C3"),
        "行政处罚决定书文号": number,
        "违法行为类型": "未按规定对从业人员进行安全生产教育和培训",
        "违法事实": "该公司未按规定对从业人员进行安全生产教育和培训。",
        "处罚依据": "《中华人民共和国安全生产法》第九十七条第三项",
        "处罚类别": ["罚款"],
        "处罚内容": "处罚款。",
        "罚款金额（万元）": "2",
        "处罚决定日期": date,
        "处罚机关": "云澜市应急管理局",
        "处罚机关统一社会信用代码": CITY,
        "数据来源单位": "云澜市应急管理局",
        "数据来源单位统一社会信用代码": CITY,
        "失信严重程度": "一般",
        "权责事项编码": "CF-001-01",
    }
    row.update(fields)
    return row


PENALTIES = [
    penalty(
        "云应急罚〔2026〕1号",
        "2026-03-05",
        处罚类别=["警告", "罚款"],
        备注='=HYPERLINK("http://evil.example","点击")',
        公示日期="2026-03-10",
    ),
    penalty(
        "云应急罚〔2026〕2号",
        "2026-04-02",
        行政相对人名称="张三丰",
        行政相对人类别="自然人",
        统一社会信用代码=None,
        证件类型="身份证",
        证件号码="110105194912310021",
        违法行为类型="特种作业人员未取得证书上岗作业",
        **{FINE: "0.35"},
        公示日期="2026-04-20",
    ),
    penalty(
        "东港应急罚〔2026〕3号",
        "2026-05-11",
        行政相对人名称="云澜市东港区李记五金店",
        行政相对人类别="个体工商户",
        统一社会信用代码=make_credit_code("92429903MA4X5Y6B7"),
        违法事实="@现场检查发现：\n+ 灭火器过期；\n- 安全出口堵塞。",
        处罚机关="云澜市东港区应急管理局",
        处罚机关统一社会信用代码=DISTRICT,
        数据来源单位="云澜市东港区应急管理局",
        数据来源单位统一社会信用代码=DISTRICT,
        **{FINE: "10.5"},
        公示日期="2026-05-19",
        法定代表人="李四",
        法定代表人证件类型="身份证",
        法定代表人证件号码="110105195001010012",
    ),
    penalty(
        "云应急罚〔2024〕9号",
        "2024-06-03",
        失信严重程度="严重",
        **{FINE: "50"},
        违法行为类型="未按规定设置安全生产管理机构",
        处罚类别=["罚款", "责令停产停业"],
        公示日期="2024-06-07",
    ),
    penalty("云应急罚〔2024〕3号", "2024-01-10", **{FINE: "1"}),  # 一般, expired long before as_of
    penalty(
        "云应急罚〔2026〕4号",
        "2026-02-01",
        状态="撤销",
        状态变更日期="2026-02-20",
        状态变更原因="行政复议决定撤销",
    ),
    penalty("云应急罚〔2026〕5号", "2026-05-01", 失信严重程度="轻微", 处罚类别=["警告"], **{FINE: None}),
    penalty(
        "云应急罚〔2025〕8号",
        "2025-09-15",
        **{FINE: "3"},
        公示日期="2025-09-19",
        违法行为类型="未按规定设置安全生产管理机构",
    ),
    penalty(
        "东港应急罚〔2026〕6号",
        "2026-06-01",
        **{FINE: "5"},
        公示日期="2026-06-29",
        处罚机关="云澜市东港区应急管理局",
        处罚机关统一社会信用代码=DISTRICT,
        数据来源单位="云澜市东港区应急管理局",
        数据来源单位统一社会信用代码=DISTRICT,
    ),
]

ACCIDENTS = [
    {
        "事故名称": "云澜市恒泰化工有限公司“3·05”中毒和窒息事故",
        "发生时间": "2024-03-05 14:30",
        "所属行业": "化工",
        "事故类型": "中毒和窒息",
        "事故等级": "一般",
        "死亡人数": "1",
        "重伤人数": "0",
        "直接经济损失（万元）": "120.5",
        "批复日期": "2024-06-20",
        "整改评估日期": "2025-05-10",
        "事故经过": "14时30分，作业人员进入储罐。\n随后晕倒。",
    },
    {
        "事故名称": "云澜市城南建设工程“8·12”坍塌事故",
        "发生时间": "2025-08-12",
        "所属行业": "建筑施工",
        "事故类型": "坍塌",
        "事故等级": "较大",
        "死亡人数": "3",
        "重伤人数": "1",
        "直接经济损失（万元）": "560",
        "批复日期": "2025-12-01",
    },
    {
        "事故名称": "云澜市东港区某仓库“1·20”火灾事故",
        "发生时间": "2026-01-20",
        "所属行业": "仓储",
        "事故类型": "火灾",
        "事故等级": "一般",
        "死亡人数": "0",
        "重伤人数": "2",
        "直接经济损失（万元）": "35",
        "事故原因": "=电气线路短路",
    },
    {
        "事故名称": "云澜市化工园区“7·15”爆炸事故",
        "发生时间": "2026-07-15",
        "所属行业": "化工",
        "事故类型": "爆炸",
        "事故等级": "一般",
        "死亡人数": "1",
    },  # after as_of: not public yet
]

POWER_ITEMS = [
    {
        "事项编码": "CF-001",
        "事项名称": "对未按规定开展安全生产教育和培训的处罚",
        "事项类型": "行政处罚",
        "设定依据": "《中华人民共和国安全生产法》第九十七条",
        "实施主体": "云澜市应急管理局",
        "监督电话": "0710-1234567",
    },
    {
        "事项编码": "CF-001-01",
        "事项名称": "对未按规定对从业人员进行安全生产教育和培训的处罚",
        "父项编码": "CF-001",
        "事项类型": "行政处罚",
        "设定依据": "-《中华人民共和国安全生产法》第九十七条第三项",
        "实施主体": "云澜市应急管理局",
    },
    {
        "事项编码": "JC-001",
        "事项名称": "对生产经营单位执行安全生产法律法规情况的监督检查",
        "事项类型": "行政检查",
        "设定依据": "《中华人民共和国安全生产法》第六十五条",
        "实施主体": "云澜市应急管理局",
        "责任事项": "1.检查责任\n2.处置责任",
    },
]


def write(kind_name: str, rows: list[dict]) -> None:
    kind = KINDS[kind_name]
    by_file: dict[str, list[dict]] = {}
    for row in rows:
        record = kind.model.model_validate({k: v for k, v in row.items() if v is not None})
        by_file.setdefault(kind.data_file(record), []).append(row)
    for rel, file_rows in by_file.items():
        path = OUT / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_records(file_rows, kind.headers), encoding="utf-8")


if __name__ == "__main__":
    write("penalties", PENALTIES)
    write("accidents", ACCIDENTS)
    write("power-items", POWER_ITEMS)
