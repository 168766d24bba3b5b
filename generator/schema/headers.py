"""The column headers of the three record kinds: the one list that import, the YAML data files,
the CSV downloads and the data dictionary all share (shared/interfaces.md, "Table headers").

A YAML data file is a list of mappings whose keys are exactly these headers; a table (CSV/XLSX)
has them as its header row.  The national-standard columns come first, in their standard order;
the optional columns after them are Gongkai's own (each documented in the schema).
"""

PENALTY_STANDARD = (
    "行政相对人名称",
    "行政相对人类别",
    "统一社会信用代码",
    "工商注册号",
    "组织机构代码",
    "税务登记号",
    "事业单位证书号",
    "社会组织登记证号",
    "法定代表人",
    "法定代表人证件类型",
    "法定代表人证件号码",
    "证件类型",
    "证件号码",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "没收违法所得、没收非法财物的金额（万元）",
    "暂扣或吊销证照名称及编号",
    "处罚决定日期",
    "处罚有效期",
    "公示截止期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "备注",
)

# Optional columns beyond the national standard.  失信严重程度 and 状态 are named by the interface;
# the rest carry what the law-as-code rules need (withdrawal date and reason, the power item the
# penalty was imposed under, the actual publication date, the minor flag).
PENALTY_OPTIONAL = (
    "失信严重程度",
    "状态",
    "状态变更日期",
    "状态变更原因",
    "权责事项编码",
    "公示日期",
    "未成年人",
)

PENALTY_HEADERS = PENALTY_STANDARD + PENALTY_OPTIONAL

ACCIDENT_REQUIRED_ORDER = (
    "事故名称",
    "发生时间",
    "发生地点",
    "所属行业",
    "事故类型",
    "事故等级",
    "死亡人数",
    "重伤人数",
    "轻伤人数",
    "直接经济损失（万元）",
    "事故发生单位",
    "统一社会信用代码",
    "事故经过",
    "事故原因",
    "事故性质",
    "责任认定及处理建议",
    "防范和整改措施",
    "调查组牵头单位",
    "批复机关",
    "批复日期",
    "调查报告链接",
    "整改评估日期",
    "整改评估链接",
)

# The first of the six report parts of 493号 art. 30 has no column in the interface table.
ACCIDENT_OPTIONAL = ("事故发生单位概况",)

ACCIDENT_HEADERS = ACCIDENT_REQUIRED_ORDER + ACCIDENT_OPTIONAL

POWER_ITEM_HEADERS = (
    "事项编码",
    "事项名称",
    "父项编码",
    "事项类型",
    "设定依据",
    "实施主体",
    "承办机构",
    "行使层级",
    "责任事项",
    "追责情形",
    "监督电话",
)

POWER_ITEM_TYPES = (
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政征收",
    "行政给付",
    "行政检查",
    "行政确认",
    "行政奖励",
    "行政裁决",
    "其他行政权力",
)

PARTY_TYPES = ("法人及非法人组织", "自然人", "个体工商户")
SEVERITIES = ("轻微", "一般", "严重")
PENALTY_STATES = ("正常", "撤销", "变更")
ACCIDENT_LEVELS = ("一般", "较大", "重大", "特别重大")
