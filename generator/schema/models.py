"""The three record kinds as pydantic models.

Attribute names are English; each field's alias is its Chinese header (what data files and tables
use), its description is the Chinese meaning shown in the data dictionary, and `published` says
whether the field ever reaches the public site.  Cross-field rules (a fine needs an amount, a
withdrawal needs a date) live in `generator.validate`, where they can point at the right field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from generator.schema import headers as H
from generator.schema.types import (
    Amount,
    Count,
    CreditCode,
    Date,
    DateTimeText,
    Loss,
    MultiText,
    OptionalDate,
    OptionalText,
    OptionalUrl,
    Text,
    ValidityText,
    YesNo,
    enum_of,
)


def F(alias: str, meaning: str, *, published: bool = True, required: bool = False, default: Any = None) -> Any:
    """A field: its Chinese header, its meaning, and whether it is published."""
    extra = {"published": published, "required": required}
    if required:
        return Field(alias=alias, description=meaning, json_schema_extra=extra)
    return Field(default=default, alias=alias, description=meaning, json_schema_extra=extra)


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False, validate_by_alias=True)


PartyType = Annotated[str, BeforeValidator(enum_of(H.PARTY_TYPES))]
SeverityLevel = Annotated[str | None, BeforeValidator(enum_of(H.SEVERITIES))]
PenaltyState = Annotated[str, BeforeValidator(enum_of(H.PENALTY_STATES, default="正常"))]
PowerType = Annotated[str, BeforeValidator(enum_of(H.POWER_ITEM_TYPES))]
AccidentLevel = Annotated[str | None, BeforeValidator(enum_of(H.ACCIDENT_LEVELS, suffix="事故"))]


class Penalty(Record):
    """行政处罚决定 — the national public-credit exchange standard's 30 fields plus Gongkai's own."""

    party_name: Text = F("行政相对人名称", "被处罚的单位或个人的名称；自然人按规则遮蔽姓名后公开", required=True)
    party_type: PartyType = F("行政相对人类别", "法人及非法人组织、自然人或个体工商户", required=True)
    credit_code: CreditCode = F("统一社会信用代码", "18 位统一社会信用代码，含校验码")
    business_reg_no: OptionalText = F("工商注册号", "无统一社会信用代码时的工商注册号")
    org_code: OptionalText = F("组织机构代码", "无统一社会信用代码时的组织机构代码")
    tax_reg_no: OptionalText = F("税务登记号", "无统一社会信用代码时的税务登记号")
    institution_cert_no: OptionalText = F("事业单位证书号", "事业单位法人证书号")
    social_org_reg_no: OptionalText = F("社会组织登记证号", "社会组织登记证号")
    legal_rep: OptionalText = F(
        "法定代表人", "法人的法定代表人姓名：当事人以外的自然人姓名，依规不公开", published=False
    )
    legal_rep_id_type: OptionalText = F("法定代表人证件类型", "法定代表人的证件类型", published=False)
    legal_rep_id_number: OptionalText = F("法定代表人证件号码", "法定代表人证件号码：永不公开", published=False)
    id_type: OptionalText = F("证件类型", "自然人当事人的证件类型", published=False)
    id_number: OptionalText = F("证件号码", "自然人当事人的证件号码：永不公开", published=False)
    decision_number: Text = F("行政处罚决定书文号", "处罚决定书文号，唯一，作为记录标识", required=True)
    violation_type: Text = F("违法行为类型", "违法行为的类型", required=True)
    violation_facts: Text = F("违法事实", "认定的违法事实", required=True)
    basis: Text = F("处罚依据", "作出处罚所依据的法律条款", required=True)
    categories: MultiText = F("处罚类别", "警告、罚款、责令停产停业等，多项以分号分隔", required=True)
    content: Text = F("处罚内容", "处罚决定的具体内容", required=True)
    fine_wan: Amount = F("罚款金额（万元）", "罚款金额，单位万元；网站以元显示")
    confiscation_wan: Amount = F("没收违法所得、没收非法财物的金额（万元）", "没收金额，单位万元；网站以元显示")
    licence: OptionalText = F("暂扣或吊销证照名称及编号", "被暂扣或吊销的证照名称及编号")
    decision_date: Date = F("处罚决定日期", "作出处罚决定的日期", required=True)
    valid_until: ValidityText = F("处罚有效期", "处罚有效期截止日期，或“长期”")
    publication_end: OptionalDate = F("公示截止期", "公示截止日期；留空时按失信严重程度和法定期限自动计算")
    authority: Text = F("处罚机关", "作出处罚决定的机关", required=True)
    authority_credit_code: CreditCode = F("处罚机关统一社会信用代码", "处罚机关的统一社会信用代码", required=True)
    source_unit: Text = F("数据来源单位", "报送数据的单位", required=True)
    source_unit_credit_code: CreditCode = F(
        "数据来源单位统一社会信用代码", "报送数据单位的统一社会信用代码", required=True
    )
    remarks: OptionalText = F("备注", "备注")
    severity: SeverityLevel = F("失信严重程度", "轻微、一般或严重；决定公示期限")
    state: PenaltyState = F("状态", "正常、撤销或变更；撤销、变更的决定撤下公示", default="正常")
    state_date: OptionalDate = F("状态变更日期", "处罚决定被撤销或变更的日期")
    state_reason: OptionalText = F("状态变更原因", "撤销或变更的法定理由")
    power_item_code: OptionalText = F("权责事项编码", "据以作出处罚的权责清单事项编码")
    published_on: OptionalDate = F("公示日期", "首次公示日期；留空时取数据首次进入 git 历史的日期")
    minor: YesNo = F("未成年人", "当事人是否为未成年人（是/否）；为“是”时一律不公开", default=False)

    @property
    def key(self) -> str:
        return self.decision_number


class Accident(Record):
    """生产安全事故调查报告 — with the six parts of 国务院令第493号 art. 30."""

    name: Text = F("事故名称", "事故名称，唯一，作为记录标识", required=True)
    occurred: DateTimeText = F("发生时间", "事故发生的日期（可带时间）", required=True)
    place: OptionalText = F("发生地点", "事故发生地点")
    industry: OptionalText = F("所属行业", "事故发生单位所属行业")
    accident_type: OptionalText = F("事故类型", "火灾、爆炸、中毒和窒息等")
    level: AccidentLevel = F("事故等级", "一般、较大、重大或特别重大；按第三条由伤亡和损失复核")
    deaths: Count = F("死亡人数", "死亡（含失踪）人数；未公布可留空")
    serious_injuries: Count = F("重伤人数", "重伤（含急性工业中毒）人数；未公布可留空")
    minor_injuries: Count = F("轻伤人数", "轻伤人数；未公布可留空")
    loss_wan: Loss = F("直接经济损失（万元）", "直接经济损失，单位万元；网站以元显示")
    unit: OptionalText = F("事故发生单位", "事故发生单位名称")
    credit_code: CreditCode = F("统一社会信用代码", "事故发生单位的统一社会信用代码")
    narrative: OptionalText = F("事故经过", "报告第二部分：事故发生经过和事故救援情况")
    causes: OptionalText = F("事故原因", "报告第四部分：事故发生的原因")
    nature: OptionalText = F("事故性质", "报告第四部分：事故性质")
    responsibility: OptionalText = F("责任认定及处理建议", "报告第五部分：事故责任的认定以及对事故责任者的处理建议")
    measures: OptionalText = F("防范和整改措施", "报告第六部分：事故防范和整改措施")
    lead_unit: OptionalText = F("调查组牵头单位", "事故调查组的牵头单位")
    approver: OptionalText = F("批复机关", "批复调查报告的人民政府")
    approval_date: OptionalDate = F("批复日期", "调查报告的批复日期")
    report_url: OptionalUrl = F("调查报告链接", "调查报告全文的链接")
    evaluation_date: OptionalDate = F("整改评估日期", "整改措施落实情况评估的公开日期")
    evaluation_url: OptionalUrl = F("整改评估链接", "整改评估报告的链接")
    unit_overview: OptionalText = F("事故发生单位概况", "报告第一部分：事故发生单位概况")

    @property
    def key(self) -> str:
        return self.name

    @property
    def occurred_date(self) -> dt.date:
        return dt.date.fromisoformat(self.occurred[:10])


class PowerItem(Record):
    """权责清单事项."""

    code: Text = F("事项编码", "事项编码，唯一", required=True)
    name: Text = F("事项名称", "事项名称", required=True)
    parent_code: OptionalText = F("父项编码", "子项所属父项的事项编码")
    item_type: PowerType = F("事项类型", "十类行政权力之一", required=True)
    basis: OptionalText = F("设定依据", "设定该权力的法律法规条款")
    subject: OptionalText = F("实施主体", "行使该权力的机关")
    office: OptionalText = F("承办机构", "承办的内设机构")
    level: OptionalText = F("行使层级", "市级、县级、市县共有等")
    responsibilities: OptionalText = F("责任事项", "各环节的责任")
    accountability: OptionalText = F("追责情形", "应当追究责任的情形")
    phone: OptionalText = F("监督电话", "监督电话（机关办公电话）")

    @property
    def key(self) -> str:
        return self.code


def money_in_yuan(wan: Decimal | None) -> Decimal | None:
    """万元 → 元, exactly."""
    return None if wan is None else (wan * 10000).normalize()
