"""Validation: data files → catalog + every problem, all at once.

Phase one of every command: read every file, convert every record, run every rule that does not
depend on the date, and collect all problems.  Nothing is written here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from generator.catalog import Catalog, Entry
from generator.forkpool import map_on_two_cores
from generator.problem_codes import problem
from generator.problems import Problem, Problems
from generator.rules.levels import check_stated_level
from generator.rules.orders import PENALTY_CATEGORIES
from generator.rules.periods import PeriodPolicy, publication_end
from generator.rules.privacy import (
    NATURAL_PERSON,
    find_personal_data,
    mask_person_name,
    may_hold_personal_data,
)
from generator.rules.workdays import parse_year_schedule
from generator.schema.convert import convert
from generator.schema.kinds import ACCIDENTS, KINDS, PENALTIES, POWER_ITEMS, Kind
from generator.schema.models import Accident, Penalty, PowerItem, Record
from generator.search.fold import fold
from generator.settings import Settings
from generator.sources.raw import RawRecord, ShiftedRaw
from generator.sources.text import decode_utf8_or_problem
from generator.sources.yaml_loader import load_records, syntax_problem

PRIVACY_CODES = {
    "id-number": ("privacy.id-number", "含有身份证号码"),
    "mobile": ("privacy.mobile", "含有手机号码"),
    "bank-card": ("privacy.bank-card", "含有银行卡号"),
    "email": ("privacy.email", "含有个人电子邮箱地址"),
}


@dataclass
class Checked:
    entry: Entry
    raw: RawRecord | ShiftedRaw


def policy_from(settings: Settings) -> PeriodPolicy:
    return PeriodPolicy(
        publish_minor=settings.publish_minor,
        minimum_months=dict(settings.minimum_months),
        default_severity=settings.default_severity,
    )


# Below this many bytes of data files, forking a helper to check half of them costs more than it saves.
PARALLEL_FROM_BYTES = 2_000_000


class FileCache(Protocol):
    """What the build cache (generator.incremental.records) offers validation: a file's result
    without reading it again when the file has not changed — or, when part of it has, with only the
    changed records read and checked — and a way to remember what was checked the usual way."""

    def reuse(self, job: FileJob) -> FileResult | None: ...

    def remember(self, job: FileJob, result: FileResult) -> FileResult: ...


FileJob = tuple[Kind, Path, str, Settings]  # kind, path, display path, settings


def load_and_validate(root: Path, settings: Settings, cache: FileCache | None = None) -> tuple[Catalog, Problems]:
    """Every data file under the data directory → (catalog, problems)."""
    problems = Problems()
    data_dir = root / settings.data_dir
    jobs: list[FileJob] = [
        (kind, path, _display(path, root), settings)
        for kind in KINDS.values()
        for path in sorted((data_dir / kind.name).glob("*.yml"))
    ]
    results: list[FileResult | None] = [cache.reuse(job) for job in jobs] if cache else [None] * len(jobs)
    todo = [i for i, result in enumerate(results) if result is None]
    sizes = [jobs[i][1].stat().st_size for i in todo]
    if sum(sizes) >= PARALLEL_FROM_BYTES:  # each file is checked on its own: half of them on the other core
        fresh = map_on_two_cores(_check_file_job, [jobs[i] for i in todo], sizes)
    else:
        fresh = [_check_file_job(jobs[i]) for i in todo]
    for i, result in zip(todo, fresh, strict=True):
        results[i] = cache.remember(jobs[i], result) if cache else result
    checked: dict[str, list[Checked]] = {}
    for kind in KINDS.values():
        of_kind = [result for (job_kind, *_), result in zip(jobs, results, strict=True) if job_kind is kind]
        for result in of_kind:
            assert result is not None
            problems.extend(result.problems)
        checked[kind.name], duplicates = _unique(kind, (item for result in of_kind if result for item in result.items()))
        problems.extend(duplicates)
    problems.extend(_unexpected_files(data_dir, root))
    catalog = Catalog(
        power_items=[c.entry for c in checked[POWER_ITEMS.name]],
        penalties=[c.entry for c in checked[PENALTIES.name]],
        accidents=[c.entry for c in checked[ACCIDENTS.name]],
    )
    problems.extend(check_references(checked))
    schedules, schedule_problems = _holiday_schedules(data_dir, root)
    catalog.holiday_schedules = schedules
    problems.extend(schedule_problems)
    catalog.sort()
    return catalog, problems


@dataclass
class FileResult:
    """One data file, checked on its own: its converted records (with the slim raw record each)
    and every problem found in it, except duplicates of a key across records (`_unique`).
    From the build cache, each record also comes with the digest of its text and its key's form."""

    converted: list[tuple[Record, RawRecord | ShiftedRaw]]
    problems: list[Problem]
    digests: list[bytes] | None = None
    forms: list[str] | None = None

    def items(self) -> Iterator[tuple[Record, RawRecord | ShiftedRaw, bytes, str | None]]:
        digests = self.digests or [b""] * len(self.converted)
        forms = self.forms or [None] * len(self.converted)
        for (record, raw), digest, form in zip(self.converted, digests, forms, strict=True):
            yield record, raw, digest, form


def _check_file_job(job: FileJob) -> FileResult:
    kind, path, display, settings = job
    raws, problems = load_records(path, display, kind.key_header)
    converted, record_problems = _convert_each(kind, _released(raws), settings)
    return FileResult(converted, problems + record_problems)


def _released(raws: list[RawRecord]) -> Iterator[RawRecord]:
    """The records in order, each dropped from the list as it is handed out: at 100k records,
    releasing each raw record once checked halves the memory."""
    raws.reverse()
    while raws:
        yield raws.pop()


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def check_record(kind: Kind, raw: RawRecord, settings: Settings) -> tuple[Record | None, list[Problem]]:
    """Convert one raw record and run the record-level rules."""
    record, problems = convert(kind, raw)
    problems = [*problems, *privacy_problems(kind, raw, settings)]
    if record is not None:
        problems.extend(_record_rules(record, raw, settings))
    return record, problems


def _convert_each(
    kind: Kind, raws: Iterable[RawRecord], settings: Settings
) -> tuple[list[tuple[Record, RawRecord]], list[Problem]]:
    """Each record that converts, with its slim raw record, and every problem of the records."""
    problems: list[Problem] = []
    converted = []
    for raw in raws:
        record, record_problems = check_record(kind, raw, settings)
        problems.extend(record_problems)
        if record is not None:
            converted.append((record, slim(raw)))
    return converted, problems


def check_records(kind: Kind, raws: Iterable[RawRecord], settings: Settings) -> tuple[list[Checked], list[Problem]]:
    """Convert each raw record and run the record-level rules; duplicates of the key are reported."""
    converted, problems = _convert_each(kind, raws, settings)
    checked, duplicates = _unique(kind, ((record, raw, b"", None) for record, raw in converted))
    return checked, problems + duplicates


def _unique(
    kind: Kind, converted: Iterable[tuple[Record, RawRecord | ShiftedRaw, bytes, str | None]]
) -> tuple[list[Checked], list[Problem]]:
    """The records in order, each key kept once; a later record whose key is one already seen — or
    the same key written differently (key_form) — is reported."""
    problems: list[Problem] = []
    checked: list[Checked] = []
    first_seen: dict[str, RawRecord | ShiftedRaw] = {}
    for record, raw, digest, form in converted:
        if form is None:
            form = key_form(record.key)  # type: ignore[attr-defined]
        if form in first_seen:
            problems.append(_duplicate(kind, raw, first_seen[form]))
            continue
        first_seen[form] = raw
        checked.append(Checked(Entry(record, raw.path, raw.line, digest), raw))
    return checked, problems


def duplicate_keys(kind: Kind, checked: Iterable[Checked]) -> list[Problem]:
    """The duplicates `_unique` would report among records checked separately (an import's table
    and the data files it merges into)."""
    return _unique(kind, ((c.entry.record, c.raw, b"", None) for c in checked))[1]


def key_form(key: str) -> str:
    """A key as written, without what varies between copies of one number or name: bracket kinds,
    spaces, full- and half-width forms, case, traditional characters (东港应急罚〔2026〕22号,
    东港应急罚[2026]22号 and 東港應急罰（２０２６）22號 are one decision).  Other punctuation stays:
    “1·11” and “11·1” are two accidents."""
    return fold(key) or key


# The only positions needed after a record is converted: its key's and its references'.
_KEPT_HEADERS = ("行政处罚决定书文号", "事故名称", "事项编码", "父项编码", "权责事项编码")


def slim(raw: RawRecord) -> RawRecord:
    """The raw record without the values no later check points at (a tenth of the memory at 100k)."""
    kept = {h: raw.values[h] for h in _KEPT_HEADERS if h in raw.values}
    return RawRecord(raw.path, raw.line, raw.column, raw.label, kept)


def _duplicate(kind: Kind, raw: RawRecord | ShiftedRaw, first: RawRecord | ShiftedRaw) -> Problem:
    code = {"penalties": "penalty.duplicate-number", "accidents": "accident.duplicate-name"}.get(
        kind.name, "power.duplicate-code"
    )
    line, column = raw.position_of(kind.key_header)
    message = f"{kind.key_header} “{raw.label}” 重复：已在 {first.path} 第 {first.line} 行出现"
    if raw.label != first.label:
        message = (f"{kind.key_header} “{raw.label}” 与 {first.path} 第 {first.line} 行的“{first.label}”相同，"
                   "只是括号、空格、全角半角、大小写或繁简写法不同：请只保留一条")
    return problem(code, raw.path, line, column, raw.label, kind.key_header, message)


# --- record-level rules ---------------------------------------------------------------------------


def _record_rules(record: Record, raw: RawRecord, settings: Settings) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(record, Penalty):
        if record.minor:
            problems.append(_minor_problem(raw))
        problems += _penalty_rules(record, raw, settings)
    elif isinstance(record, Accident):
        problems += _accident_rules(record, raw)
    return problems


@functools.cache
def published_headers(kind: Kind) -> frozenset[str]:
    """The headers of every field that reaches the public site."""
    return frozenset(
        info.alias or name
        for name, info in kind.model.model_fields.items()
        if (info.json_schema_extra or {}).get("published", True)  # type: ignore[union-attr]
    )


def privacy_problems(kind: Kind, raw: RawRecord, settings: Settings) -> list[Problem]:
    """Personal data in any published value, found in the raw text so that it is reported even when
    the record has other errors (an ID number must never wait for a typo to be fixed)."""
    problems = []
    published = published_headers(kind)
    for header, text in _published_texts(raw, published):
        if not may_hold_personal_data(text):
            continue
        for finding in find_personal_data(text, allowed_email_domains=settings.email_allowed_domains):
            code, what = PRIVACY_CODES[finding.kind]
            line, column = _finding_position(raw, header, text, finding.start)
            message = f"{what}（{mask_finding(finding.text)}）；公开前必须删除或改为（略）"
            problems.append(problem(code, raw.path, line, column, raw.label, header, message))
    return problems + _party_name_problems(kind, raw, published, settings)


def _published_texts(raw: RawRecord, published: frozenset[str]) -> Iterator[tuple[str, str]]:
    """(header, text) of every published value of a raw record; a list value gives each item."""
    for header, raw_value in raw.values.items():
        if header in published and raw_value.value is not None:
            values = raw_value.value if isinstance(raw_value.value, list) else [raw_value.value]
            yield from ((header, text) for text in values)


def _party_name_problems(kind: Kind, raw: RawRecord, published: frozenset[str], settings: Settings) -> list[Problem]:
    """A natural person's name is masked wherever the site shows the party; written out in full in
    another published field (违法事实: 当事人王小明……) it would be published after all."""
    if kind.name != PENALTIES.name:
        return []
    party_type, name = raw.values.get("行政相对人类别"), raw.values.get("行政相对人名称")
    if party_type is None or name is None or party_type.value != NATURAL_PERSON or not isinstance(name.value, str):
        return []
    full = name.value.strip()
    masked = mask_person_name(full, settings.name_mask) if full else full
    if len(full) < 2 or masked == full:  # nothing to hide: already masked, or a one-character name
        return []
    problems = []
    for header, text in _published_texts(raw, published):
        offset = text.find(full) if header != "行政相对人名称" else -1
        if offset >= 0:
            line, column = _finding_position(raw, header, text, offset)
            message = f"含有当事人（自然人）的姓名（{mask_finding(full)}）；网站公示时姓名遮蔽为“{masked}”，此处也须写作“{masked}”"
            problems.append(problem("privacy.party-name", raw.path, line, column, raw.label, header, message))
    return problems


def _minor_problem(raw: RawRecord) -> Problem:
    line, column = raw.position_of("未成年人")
    return problem("privacy.minor", raw.path, line, column, raw.label, "未成年人", "当事人为未成年人：该决定不会公开")


def _finding_position(raw: RawRecord, header: str, text: str, offset: int) -> tuple[int, int]:
    """Where a finding starts: the cell for tables (interfaces.md: column = column number); inside a
    one-line YAML value, the finding's own column (quotes and escapes aside, close enough to see)."""
    line, column = raw.position_of(header)
    raw_value = raw.values[header]
    if raw.path.endswith((".yml", ".yaml")) and isinstance(raw_value.value, str) and "\n" not in text:
        return line, column + raw_value.text_offset + offset
    return line, column


def mask_finding(text: str) -> str:
    """Quote a finding without repeating it whole (the problem output itself may land in CI logs)."""
    if len(text) <= 4:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 5) + text[-2:]


def _penalty_rules(record: Penalty, raw: RawRecord, settings: Settings) -> list[Problem]:
    out: list[Problem] = []

    def report(code: str, header: str, message: str) -> None:
        line, column = raw.position_of(header)
        out.append(problem(code, raw.path, line, column, raw.label, header, message))

    if "罚款" in record.categories and not record.fine_wan:
        report("penalty.fine-missing", "罚款金额（万元）", "处罚类别含“罚款”，但罚款金额为空或为 0")
    if record.party_type != "自然人" and not (
        record.credit_code or record.business_reg_no or record.org_code or record.tax_reg_no
        or record.institution_cert_no or record.social_org_reg_no
    ):
        report("penalty.party-id", "统一社会信用代码", f"{record.party_type}须填写统一社会信用代码或其他登记代码")
    if record.state != "正常":
        for header, value in (("状态变更日期", record.state_date), ("状态变更原因", record.state_reason)):
            if not value:
                report("penalty.state-incomplete", header, f"状态为“{record.state}”时必须填写{header}")
    for header, value in (("状态变更日期", record.state_date), ("公示日期", record.published_on)):
        if value and value < record.decision_date:
            report("penalty.date-order", header, f"{header} {value} 早于处罚决定日期 {record.decision_date}")
    for category in record.categories:
        if category not in KNOWN_CATEGORIES:
            report("penalty.category", "处罚类别", f"“{category}”不是常见的处罚类别（如 {'、'.join(KNOWN_CATEGORIES[:6])} 等）")
    if record.publication_end and record.publication_end < record.decision_date:
        report("penalty.date-order", "公示截止期", f"公示截止期 {record.publication_end} 早于处罚决定日期 {record.decision_date}")
    elif record.publication_end:
        result = publication_end(record.decision_date, record.severity, record.publication_end, policy_from(settings))
        if result.problem:
            report("penalty.period", "公示截止期", result.problem)
    return out


KNOWN_CATEGORIES = PENALTY_CATEGORIES  # in the order of 行政处罚法 art. 9


def _accident_rules(record: Accident, raw: RawRecord) -> list[Problem]:
    out: list[Problem] = []
    if record.level:
        message = check_stated_level(record.level, record.deaths, record.serious_injuries, record.loss_wan)
        if message:
            line, column = raw.position_of("事故等级")
            out.append(problem("accident.level-mismatch", raw.path, line, column, raw.label, "事故等级", message))
    occurred = record.occurred_date
    for header, value in (("批复日期", record.approval_date), ("整改评估日期", record.evaluation_date)):
        if value and value < occurred:
            line, column = raw.position_of(header)
            msg = f"{header} {value} 早于事故发生时间 {occurred}"
            out.append(problem("accident.date-order", raw.path, line, column, raw.label, header, msg))
    return out


# --- cross-record rules ---------------------------------------------------------------------------


def check_references(checked: dict[str, list[Checked]]) -> list[Problem]:
    powers = {c.entry.record.code: c for c in checked[POWER_ITEMS.name]}
    out: list[Problem] = []
    for c in checked[POWER_ITEMS.name]:
        item: PowerItem = c.entry.record
        if item.parent_code and item.parent_code not in powers:
            line, column = c.raw.position_of("父项编码")
            msg = f"父项编码 “{item.parent_code}” 在权责清单中不存在"
            out.append(problem("power.parent-missing", c.raw.path, line, column, c.raw.label, "父项编码", msg))
    out += _parent_cycles(checked[POWER_ITEMS.name], powers)
    for c in checked[PENALTIES.name]:
        penalty: Penalty = c.entry.record
        if penalty.power_item_code and penalty.power_item_code not in powers:
            line, column = c.raw.position_of("权责事项编码")
            msg = f"权责事项编码 “{penalty.power_item_code}” 在权责清单中不存在"
            out.append(problem("penalty.power-item-missing", c.raw.path, line, column, c.raw.label, "权责事项编码", msg))
    return out


def _parent_cycles(items: list[Checked], powers: dict[str, Checked]) -> list[Problem]:
    out = []
    for c in items:
        seen = [c.entry.record.code]
        parent = c.entry.record.parent_code
        while parent and parent in powers:
            if parent == c.entry.record.code:
                line, column = c.raw.position_of("父项编码")
                msg = f"父子关系成环：{' → '.join(seen + [parent])}"
                out.append(problem("power.parent-cycle", c.raw.path, line, column, c.raw.label, "父项编码", msg))
                break
            if parent in seen:
                break  # a cycle further up; reported at its own members
            seen.append(parent)
            parent = powers[parent].entry.record.parent_code
    return out


# --- other files ----------------------------------------------------------------------------------


def _holiday_schedules(data_dir: Path, root: Path) -> tuple[dict, list[Problem]]:
    import yaml

    schedules, problems = {}, []
    for path in sorted((data_dir / "holidays").glob("*.yml")):
        display = _display(path, root)
        text, file_problems = decode_utf8_or_problem(path, display)
        if text is None:
            problems += file_problems
            continue
        try:
            data = yaml.load(text, Loader=_schedule_loader())  # noqa: S506 - BaseLoader: all scalars as strings
        except _DuplicateKey as exc:
            msg = f"字段 “{exc.key}” 出现了两次；后一个值会覆盖前一个，请只保留一个"
            problems.append(problem("yaml.duplicate-key", display, exc.line, exc.column, "", exc.key, msg))
            continue
        except yaml.YAMLError as exc:
            problems.append(syntax_problem(exc, display, text))
            continue
        try:
            schedule = parse_year_schedule(data)
        except ValueError as exc:
            message = str(exc).splitlines()[0]
            problems.append(problem("calendar.schedule", display, *_position_of(message, text), "", "", message))
            continue
        if path.stem != str(schedule.year):  # the year a file is found by must be the year it holds
            message = f"年份：文件名是 {path.name}，年份却写的是 {schedule.year}；请让二者一致（每年一个文件，如 {schedule.year}.yml）"
            problems.append(problem("calendar.schedule", display, *_position_of(message, text), "", "", message))
            continue
        schedules[schedule.year] = schedule
    return schedules, problems


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int, column: int) -> None:
        super().__init__(key)
        self.key, self.line, self.column = key, line, column


def _schedule_loader():  # noqa: ANN202 - PyYAML is imported only when there are holiday files
    import yaml

    class ScheduleLoader(yaml.BaseLoader):
        """All scalars as strings, and a key given twice refused rather than silently overwritten."""

        def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN202 - PyYAML's signature
            seen: set[str] = set()
            for key_node, _ in node.value:
                key = key_node.value if isinstance(key_node.value, str) else ""
                if key in seen:
                    raise _DuplicateKey(key, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                seen.add(key)
            return super().construct_mapping(node, deep)

    return ScheduleLoader


_QUOTED = re.compile(r"“([^”]+)”")


def _position_of(message: str, text: str) -> tuple[int, int]:
    """Where in a holiday file the problem is: the value the message quotes, else the key it names,
    else the file's start (the schedule's parser works on values, not positions)."""
    for needle in [*_QUOTED.findall(message), *(k for k in ("调休上班", "放假", "年份") if message.startswith(k))]:
        at = text.find(needle)
        if at >= 0:
            line_start = text.rfind("\n", 0, at) + 1
            return text.count("\n", 0, at) + 1, at - line_start + 1
    return 1, 1


def _unexpected_files(data_dir: Path, root: Path) -> list[Problem]:
    expected_dirs = {*KINDS, "holidays"}
    out = []
    if not data_dir.is_dir():
        return [problem("file.unreadable", _display(data_dir, root), 1, 1, "", "", "数据目录不存在")]
    for path in sorted(data_dir.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        rel = path.relative_to(data_dir)
        if len(rel.parts) == 2 and rel.parts[0] in expected_dirs and path.suffix == ".yml":
            continue
        msg = "此文件不会被读取：数据文件应为 data/{penalties,accidents,power-items,holidays}/*.yml"
        out.append(problem("file.unexpected", _display(path, root), 1, 1, "", "", msg))
    return out
