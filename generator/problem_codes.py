"""The catalogue of problem codes: stable identifiers, each with a Chinese title and explanation.

Codes are part of the public interface (CI annotations, `--format json`, the generated problem-code
page): never rename one; add new ones.  `problem()` refuses an undocumented code, and a test checks
that every code used in the source is documented here.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.problems import Problem, Severity


@dataclass(frozen=True)
class CodeDoc:
    title: str
    explanation: str
    severity: Severity = Severity.ERROR


E, W = Severity.ERROR, Severity.WARNING

CODES: dict[str, CodeDoc] = {
    # --- files and YAML -------------------------------------------------------------------------
    "file.unreadable": CodeDoc("文件无法读取", "文件不存在、无权限读取或是一个目录。"),
    "file.encoding": CodeDoc("文件编码错误", "数据文件必须是 UTF-8 编码的文本；请用文本编辑器另存为 UTF-8。"),
    "file.binary": CodeDoc("不是文本文件", "文件含有二进制内容（如 NUL 字节），不是可读的文本或表格。"),
    "file.empty": CodeDoc("文件为空", "数据文件没有任何记录。", W),
    "file.output": CodeDoc("输出位置无法写入", "gongkai build 的 --out 或 gongkai import 的 --into 指向的位置不能写入，或会覆盖项目自己的文件：请检查路径和写入权限。"),
    "file.unexpected": CodeDoc("无法识别的文件", "data/ 目录下只应有约定位置的 .yml 数据文件。", W),
    "yaml.syntax": CodeDoc("YAML 语法错误", "文件不是合法的 YAML：常见原因是缩进不一致、冒号后缺空格或引号未闭合。"),
    "yaml.structure": CodeDoc("数据文件结构错误", "数据文件应是一个列表，每一项是一条记录（键为字段名的映射）。"),
    "yaml.duplicate-key": CodeDoc("字段重复", "同一条记录中同一字段出现了两次；后一个值会悄悄覆盖前一个，因此不允许。"),
    "yaml.alias": CodeDoc("不支持 YAML 锚点和别名", "请直接写出每个值，不要使用 & 锚点和 * 别名。"),
    # --- tables (CSV / XLSX import) ---------------------------------------------------------------
    "table.format": CodeDoc("不支持的表格格式", "只能导入 .csv 或 .xlsx 文件；旧版 .xls 请在 Excel 中另存为 .xlsx。"),
    "table.encoding": CodeDoc(
        "无法识别表格编码", "CSV 须为 UTF-8、带 BOM 的 UTF-8 或 GB18030（GBK）编码；无法可靠判断时拒绝导入而不是猜测。"
    ),
    "table.syntax": CodeDoc("CSV 格式错误", "例如引号未闭合。"),
    "table.xlsx": CodeDoc("Excel 文件损坏", "无法读取 .xlsx 文件：文件可能已损坏、加密或并非 Excel 文件。"),
    "table.formula": CodeDoc("公式没有计算结果", "单元格是公式，但文件中没有保存它的计算结果（常见于程序生成的表格），读出来会是空的；导入被拒绝，以免数据被悄悄丢掉。"),
    "table.sheets": CodeDoc("多个工作表都有数据", "Excel 文件中有不止一个（可见的）工作表带本类数据的表头；一次只导入一个工作表，以免其余工作表的记录被悄悄漏掉。"),
    "table.long-number": CodeDoc("数字位数超过 Excel 的精度", "Excel 单元格中的数字超过 15 位有效数字（如以数字格式输入的身份证号、统一社会信用代码），末尾几位已无法还原；请把该列设为文本格式后重新输入。"),
    "table.sheet": CodeDoc("读取的不是第一个工作表", "Excel 文件的第一个工作表没有本类数据的表头（例如是填表说明），读取的是第一个有表头的工作表；问题的行号、列号都指那个工作表。", W),
    "table.merged": CodeDoc("合并单元格", "Excel 中纵向合并的单元格，其值用于所覆盖的每一行（警告）；横向合并的单元格无法判断值属于哪一列，须取消合并（错误）。", W),
    "table.skipped-rows": CodeDoc("跳过的标题行或说明行", "表头之上的标题行（如“××局行政处罚信息公示表”）和表格下方的说明行（如“制表人：”“审核人：”）不是记录，没有导入。", W),
    "table.empty": CodeDoc("表格为空", "表格没有表头或没有数据行。"),
    "table.unknown-column": CodeDoc("未知的列", "表头中有本类数据不认识的列；为避免数据被悄悄丢弃，导入被拒绝。"),
    "table.missing-column": CodeDoc("缺少列", "表头缺少本类数据必须有的列。"),
    "table.duplicate-column": CodeDoc("列名重复", "表头中同一列名出现了两次。"),
    "table.ragged-row": CodeDoc("列数不一致", "该行的单元格数与表头的列数不同。"),
    "table.cell-too-long": CodeDoc("单元格内容过长", "单元格内容超过 200,000 个字符，通常是误粘贴了整份文档。"),
    # --- fields (any kind) ------------------------------------------------------------------------
    "field.required": CodeDoc("缺少必填字段", "该字段必须填写。"),
    "field.unknown": CodeDoc("未知字段", "该字段不属于本类数据；请检查字段名是否写错。"),
    "field.type": CodeDoc("值的形式不对", "例如应为一段文本，却写成了列表或映射。"),
    "field.date": CodeDoc("日期格式错误", "日期可写作 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日（也接受 20240305、带“0:00”的表格日期和“二〇二四年三月五日”），且须是真实存在的日期。"),
    "field.enum": CodeDoc("不在允许的取值范围内", "该字段只能取规定的几个值之一。"),
    "field.credit-code": CodeDoc(
        "统一社会信用代码无效", "统一社会信用代码应为 18 位，按 GB 32100-2015 计算的校验码须与第 18 位一致。"
    ),
    "field.control-char": CodeDoc("含有控制字符", "文本中有看不见的控制字符（常见于从其他系统复制的内容），网页和数据文件不能包含它们。"),
    "field.future-date": CodeDoc("日期晚于今天", "处罚决定日期或事故发生时间晚于构建日期：记录到那天才会公开。常见原因是年份写错（如把 2026 写成了 2062）。", W),
    "field.url": CodeDoc("链接不合规", "链接须以 http:// 或 https:// 开头（或是本站的相对路径），不含空格；javascript: 等其他写法不会被公开。"),
    "field.too-long": CodeDoc("内容过长", "该字段内容超过允许的长度。"),
    # --- penalties --------------------------------------------------------------------------------
    "penalty.amount": CodeDoc("金额格式错误", "金额以万元为单位，写阿拉伯数字（可带小数），不小于 0，例如 2.5 表示 25,000 元。"),
    "penalty.fine-missing": CodeDoc("缺少罚款金额", "处罚类别含“罚款”时必须填写罚款金额（万元），且大于 0。"),
    "penalty.duplicate-number": CodeDoc("行政处罚决定书文号重复", "每份处罚决定书文号只能出现一次。"),
    "penalty.party-id": CodeDoc(
        "缺少主体代码", "法人及非法人组织、个体工商户须填写统一社会信用代码（或工商注册号等其他登记代码之一）。"
    ),
    "penalty.state-incomplete": CodeDoc("撤销或变更信息不完整", "状态为撤销或变更时，须填写状态变更日期和状态变更原因。"),
    "penalty.date-order": CodeDoc("日期先后矛盾", "例如公示截止期、状态变更日期或公示日期早于处罚决定日期。"),
    "penalty.category": CodeDoc("处罚类别不常见", "处罚类别不在《行政处罚法》第九条所列种类中，请核对。", W),
    "penalty.power-item-missing": CodeDoc("权责事项不存在", "权责事项编码须是权责清单中已有的事项编码。"),
    "penalty.period": CodeDoc("公示期限不符合规定", "公示截止期须在法定（及本地规定）的最短与最长公示期限之间。"),
    # --- accidents ---------------------------------------------------------------------------------
    "accident.count": CodeDoc("人数格式错误", "人数为不小于 0 的整数；未公布的可留空。"),
    "accident.loss": CodeDoc("直接经济损失格式错误", "以万元为单位的数字，不小于 0；未公布的可留空。"),
    "accident.duplicate-name": CodeDoc("事故名称重复", "事故名称用作记录的标识，不能重复。"),
    "accident.level-mismatch": CodeDoc(
        "事故等级与伤亡、损失不符", "按《生产安全事故报告和调查处理条例》第三条，以死亡、重伤、直接经济损失中最高的一项定级。"
    ),
    "accident.date-order": CodeDoc("日期先后矛盾", "批复日期或整改评估日期早于事故发生时间。"),
    # --- power items ------------------------------------------------------------------------------
    "power.duplicate-code": CodeDoc("事项编码重复", "每个权责事项编码只能出现一次。"),
    "power.parent-missing": CodeDoc("父项不存在", "父项编码须是清单中已有的事项编码。"),
    "power.parent-cycle": CodeDoc("父子关系成环", "事项不能直接或间接地成为自己的父项。"),
    # --- privacy (law: never publish personal data) ----------------------------------------------
    "privacy.id-number": CodeDoc("含有身份证号码", "公开字段中出现了身份证号码（18 位含校验码，或 15 位旧号）。公布身份证号码属于泄露个人信息。"),
    "privacy.mobile": CodeDoc("含有手机号码", "公开字段中出现了 11 位手机号码。"),
    "privacy.bank-card": CodeDoc("含有银行卡号", "公开字段中出现了通过 Luhn 校验的银行卡号。"),
    "privacy.email": CodeDoc("含有个人电子邮箱", "公开字段中出现了非政府机关域名的电子邮箱地址。"),
    "privacy.party-name": CodeDoc(
        "含有自然人当事人的姓名",
        "当事人为自然人时，网站只公示遮蔽后的姓名（如“王某某”）；违法事实等公开字段中写出的全名也必须改为遮蔽后的写法。",
    ),
    "privacy.minor": CodeDoc("当事人为未成年人", "当事人为未成年人的处罚决定一律不公开；该记录不会出现在网站上。", W),
    # --- law-as-code rules ------------------------------------------------------------------------
    "calendar.year-missing": CodeDoc(
        "该年度节假日安排未收录",
        "计算工作日期限需要该年度的法定节假日和调休安排；请在 data/holidays/ 中补充该年度安排。",
        W,
    ),
    "calendar.schedule": CodeDoc("节假日安排文件格式错误", "data/holidays/ 下的年度安排文件格式不正确。"),
    # --- site configuration and content ----------------------------------------------------------
    "config.invalid": CodeDoc("站点配置错误", "site_config.yml 的设置不正确：gongkai 插件的设置、模板目录（theme.custom_dir）或 mkdocs 本身的设置。"),
    "content.front-matter": CodeDoc("页面头信息错误", "content/ 中 Markdown 页面开头的 YAML 头信息不正确。"),
}


def problem(
    code: str,
    path: str,
    line: int,
    column: int,
    record: str,
    field: str,
    message: str,
    severity: Severity | None = None,
) -> Problem:
    doc = CODES[code]  # KeyError here means an undocumented code: a programming error, caught by tests.
    return Problem(path, line, column, severity or doc.severity, code, record, field, message)
