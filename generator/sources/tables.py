"""Reading the bureau's tables (CSV in UTF-8 / UTF-8-BOM / GB18030 / UTF-16, or XLSX) into raw records.

Positions follow shared/interfaces.md: the header row is line 1, `line` is the file's physical line
(a quoted cell with line breaks makes a row span several lines), `column` the 1-based column number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from generator.problem_codes import problem
from generator.problems import Problem
from generator.sources.raw import MAX_CELL_CHARS, RawRecord, RawValue
from generator.sources.text import read_bytes_or_problem

# The CSV downloads prefix cells that a spreadsheet would run as a formula with one quote
# (shared/interfaces.md); import takes exactly that quote away again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

csv.field_size_limit(16 * 1024 * 1024)


@dataclass(frozen=True)
class Cell:
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class Table:
    header: list[Cell]
    rows: list[tuple[int, list[Cell]]]  # (first physical line, cells)


def header_key(name: str) -> str:
    """Headers match after folding width and spacing, and without invisible format characters (a
    zero-width space or BOM copied into a header cell): （万元） and (万元) are the same column."""
    folded = unicodedata.normalize("NFKC", name)
    if not folded.isprintable():
        folded = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return "".join(folded.split())


def is_formula_guarded(text: str) -> bool:
    """Quotes then a formula start: the form the downloads give a cell ('=…, and ''=… for a value
    that itself began with '=…)."""
    unquoted = text.lstrip("'")
    return unquoted != text and unquoted.startswith(FORMULA_STARTS)


def unquote_formula_guard(text: str) -> str:
    return text[1:] if is_formula_guarded(text) else text


def read_table(
    path: Path, display_path: str, known: Sequence[str], required: Sequence[str]
) -> tuple[list[RawRecord], list[Problem]]:
    """Rows of a table as raw records keyed by the canonical headers in `known`."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".txt", ".tsv"):
        msg = f"不支持 “{path.suffix or '无扩展名'}” 文件；请提供 .csv 或 .xlsx（旧版 .xls 请另存为 .xlsx）"
        return [], [problem("table.format", display_path, 1, 1, "", "", msg)]
    data, problems = read_bytes_or_problem(path, display_path)
    if data is None:
        return [], problems
    if suffix == ".xlsx":
        from generator.sources.xlsx import read_xlsx  # openpyxl is slow to import; only when needed

        table, problems = read_xlsx(data, display_path, known)
    else:
        table, problems = _read_csv(data, display_path, known)
    if table is None:
        return [], problems
    mapping, header_problems = _map_header(table.header, display_path, known, required)
    if any(p.code != "table.unknown-column" for p in header_problems):
        return [], problems + header_problems  # rows cannot be read as meant: their problems would mislead
    # An extra column is set aside; the known ones are still checked, so that every problem (an ID
    # number in a row above all) is reported at once.
    records, row_problems = _rows_to_records(table, mapping, display_path)
    return records, problems + header_problems + row_problems


# --- CSV ----------------------------------------------------------------------------------------


def _read_csv(data: bytes, path: str, known: Sequence[str]) -> tuple[Table | None, list[Problem]]:
    text, problems = _decode_csv(data, path, known)
    if text is None:
        return None, problems
    top = "\n".join(text.split("\n", TITLE_ROWS_AT_MOST + 1)[: TITLE_ROWS_AT_MOST + 1])  # a title may come first
    delimiter = "\t" if top.count("\t") > top.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[Cell]]] = []
    consumed = 0
    try:
        for fields in reader:
            start = consumed + 1
            consumed = reader.line_num
            rows.append((start, _cells_with_lines(fields, start)))
    except csv.Error as exc:
        msg = f"CSV 格式错误：{_csv_error_zh(str(exc))}（从第 {consumed + 1} 行开始的那一行）"
        return None, [problem("table.syntax", path, consumed + 1, 1, "", "", msg)]
    return locate_table(rows, known, path)


_LINE_BREAK = re.compile(r"\r\n?|\n")


def _cells_with_lines(fields: list[str], start_line: int) -> list[Cell]:
    # Count line breaks as the csv reader does (it reads with universal newlines: CRLF, LF and a lone
    # CR each end a line), or a cell after a lone CR would be placed a line too early.
    cells, line = [], start_line
    for index, text in enumerate(fields, start=1):
        cells.append(Cell(text, line, index))
        line += len(_LINE_BREAK.findall(text))
    return cells


def _csv_error_zh(message: str) -> str:
    """The csv module's English errors, in the words of the people who fix the table."""
    if "unexpected end of data" in message or "EOF" in message:
        return "引号未闭合（文件在引号内结束）"
    if "field larger than field limit" in message:
        return "单元格过大"
    if "expected after" in message:
        return "引号用法不对：带引号的单元格在结束引号后应紧跟分隔符；单元格内的引号须写成两个（\"\"）"
    if "new-line character seen in unquoted field" in message:
        return "未加引号的单元格中有换行符：含换行的单元格须用引号括起"
    if "line contains NUL" in message:
        return "含有 NUL 字节"
    return f"无法按 CSV 读取（{message}）"


def _decode_csv(data: bytes, path: str, known: Sequence[str]) -> tuple[str | None, list[Problem]]:
    """Decode by evidence, never by hope: BOMs first, then strict UTF-8, then GB18030 checked against
    the expected headers (a wrong decoding cannot produce a known Chinese header)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", path)
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _cell_of_offset(data, nul)
        return None, [problem("file.binary", path, line, col, "", "", "文件含有 NUL 字节，不是文本表格")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as utf8_error:
        not_utf8_at = utf8_error.start  # `utf8_error` itself is unbound after this block
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            line, col = _cell_of_offset(data, not_utf8_at)
            msg = f"既不是 UTF-8 也不是 GB18030 编码（第 {line} 行起有无法解码的字节）；请另存为 UTF-8 CSV"
            return None, [problem("table.encoding", path, line, col, "", "", msg)]
    top = text.split("\n", TITLE_ROWS_AT_MOST + 1)[: TITLE_ROWS_AT_MOST + 1]
    known_keys = {header_key(h) for h in known}
    cells = (cell.strip().strip('"') for line in top for cell in line.replace("\t", ",").split(","))
    if not any(header_key(cell) in known_keys for cell in cells):
        # Point at the first byte that is not UTF-8: in a file mixing encodings, that is the culprit.
        line, col = _cell_of_offset(data, not_utf8_at)
        msg = (f"无法确定编码：第 {line} 行起不是 UTF-8，按 GB18030 解码后表头中又找不到任何已知的列名；"
               "请另存为 UTF-8 CSV")
        return None, [problem("table.encoding", path, line, col, "", "", msg)]
    return text, []


def _cell_of_offset(data: bytes, offset: int, encoding: str = "utf-8") -> tuple[int, int]:
    """Line and table column (counting delimiters, quotes aside) of the first byte that cannot be read:
    in a table, the column is the cell's column number (shared/interfaces.md)."""
    before = data[:offset].decode(encoding, errors="replace")
    if before.startswith("\ufeff"):
        before = before[1:]
    last_line = before.rsplit("\n", 1)[-1]
    return before.count("\n") + 1, last_line.count(",") + last_line.count("\t") + 1


def _strict(data: bytes, encoding: str, path: str) -> tuple[str | None, list[Problem]]:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line, col = _cell_of_offset(data, exc.start, encoding)
        name = "UTF-8" if encoding == "utf-8" else "UTF-16"
        msg = f"文件声明为 {name}（带 BOM），但第 {line} 行有无法解码的字节"
        return None, [problem("table.encoding", path, line, col, "", "", msg)]
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [problem("file.binary", path, line, 1, "", "", "文件含有 NUL 字符，不是文本表格")]
    return text, []


# --- where the table is ----------------------------------------------------------------------------

# Government spreadsheets often carry a title above the header (“××局2024年行政处罚信息公示表”, a unit
# or date line, a grouped header) and signatures below the rows (“制表人：”“审核人：”).
TITLE_ROWS_AT_MOST = 5
_NOTE = re.compile(
    r"\s*(?:制表|填表|填报|审核|审批|复核|负责人|联系人|联系电话|经办人|统计人|日期|说明|备注|注)[^：:]{0,8}[：:]"
)


def header_index(rows: Sequence[tuple[int, list[Cell]]], known_keys: set[str]) -> int:
    """The first of the top rows that names a known column: the header (0 when none does, so that the
    header problems of row 1 say what is wrong)."""
    for index, (_, cells) in enumerate(rows[: TITLE_ROWS_AT_MOST + 1]):
        if any(header_key(c.text) in known_keys for c in cells if c.text.strip()):
            return index
    return 0


def locate_table(rows: list[tuple[int, list[Cell]]], known: Sequence[str], path: str) -> tuple[Table | None, list[Problem]]:
    """The header and the record rows, without a title above or notes below (each named in a warning:
    nothing is dropped unseen)."""
    known_keys = {header_key(h) for h in known}
    start = header_index(rows, known_keys)
    if not rows or not any(c.text.strip() for c in rows[start][1]):
        return None, [problem("table.empty", path, 1, 1, "", "", "表格为空：第 1 行应是表头")]
    above = rows[:start]  # a title: skipped, and said
    header = rows[start][1]
    below = rows[start + 1][1] if start + 1 < len(rows) else []
    if _names_only(below, known_keys):  # a two-row grouped header: 责任清单 over 责任事项 | 追责情形
        start += 1
        header = _joined_header(header, below, known_keys)
    header_line = rows[start][0]
    end = len(rows)
    while end > start + 1 and _is_note_or_blank(rows[end - 1][1]):
        end -= 1
    skipped = []
    for line, cells in [*above, *rows[end:]]:
        text = " ".join(c.text.strip() for c in cells if c.text.strip())
        if not text:
            continue
        where = f"在表头（第 {header_line} 行）之上，是标题" if line < header_line else "在表格下方，是说明"
        msg = f"“{_clip(text)}”{where}，不是记录，未导入"
        skipped.append(problem("table.skipped-rows", path, line, 1, "", "", msg))
    return Table(header=header, rows=rows[start + 1 : end]), skipped


def _names_only(cells: list[Cell], known_keys: set[str]) -> bool:
    filled = [c for c in cells if c.text.strip()]
    return bool(filled) and all(header_key(c.text) in known_keys for c in filled)


def _joined_header(upper: list[Cell], lower: list[Cell], known_keys: set[str]) -> list[Cell]:
    """One header from a grouped one: the lower row's column name where it has one (under a group
    label), else the upper row's (a column merged down over both rows); on the lower row's line."""
    line = lower[0].line
    width = max(len(upper), len(lower))
    out = []
    for column in range(1, width + 1):
        low = lower[column - 1].text if column <= len(lower) else ""
        up = upper[column - 1].text if column <= len(upper) else ""
        out.append(Cell(low if header_key(low) in known_keys else up, line, column))
    return out


def _is_note_or_blank(cells: list[Cell]) -> bool:
    filled = [c.text for c in cells if c.text.strip()]
    return all(_NOTE.match(text) for text in filled)


# --- header and rows ----------------------------------------------------------------------------


def _map_header(
    header: list[Cell], path: str, known: Sequence[str], required: Sequence[str]
) -> tuple[dict[int, str], list[Problem]]:
    by_key = {header_key(name): name for name in known}
    mapping: dict[int, str] = {}
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for cell in header:
        name = cell.text.strip()
        if not name:
            if any(c.text.strip() for c in header[cell.column :]):
                problems.append(problem("table.unknown-column", path, cell.line, cell.column, "", "", "表头中有空白列名"))
            continue
        canonical = by_key.get(header_key(name))
        if canonical is None:
            msg = f"不认识的列 “{_clip(name)}”；本类数据的列为：{'、'.join(known)}"
            problems.append(problem("table.unknown-column", path, cell.line, cell.column, "", name, msg))
            continue
        if canonical in seen:
            msg = f"列 “{canonical}” 出现了两次（第 {seen[canonical]} 列和第 {cell.column} 列）"
            problems.append(problem("table.duplicate-column", path, cell.line, cell.column, "", canonical, msg))
            continue
        seen[canonical] = cell.column
        mapping[cell.column] = canonical
    header_line = header[0].line if header else 1
    for name in required:
        if name not in seen:
            problems.append(problem("table.missing-column", path, header_line, 1, "", name, f"表头缺少必需的列 “{name}”"))
    return mapping, problems


def _rows_to_records(table: Table, mapping: dict[int, str], path: str) -> tuple[list[RawRecord], list[Problem]]:
    records: list[RawRecord] = []
    problems: list[Problem] = []
    width = len(table.header)
    while width and not table.header[width - 1].text.strip():
        width -= 1  # trailing empty header cells (Excel leaves them) are not columns
    for row_number, (line, cells) in enumerate(table.rows, start=1):
        if not any(c.text.strip() for c in cells):
            continue  # blank rows, common at the end of spreadsheet exports
        label = f"row {row_number}"
        extra = [c for c in cells[width:] if c.text.strip()]
        if extra or len(cells) < width:
            problems.append(_ragged(path, line, cells, width, extra, label))
            continue
        record = RawRecord(path, line, 1, label)
        for cell in cells[:width]:
            header = mapping.get(cell.column)
            if header is None:
                continue
            if len(cell.text) > MAX_CELL_CHARS:
                msg = f"单元格有 {len(cell.text):,} 个字符，超过上限 {MAX_CELL_CHARS:,}"
                problems.append(problem("table.cell-too-long", path, cell.line, cell.column, label, header, msg))
                continue
            # Line breaks inside a cell become \n, whatever the exporting program wrote (CRLF, CR).
            text = unquote_formula_guard(cell.text.strip("\r")).replace("\r\n", "\n").replace("\r", "\n")
            record.values[header] = RawValue(text if text.strip() else None, cell.line, cell.column)
        records.append(record)
    return records, problems


def _ragged(path: str, line: int, cells: list[Cell], width: int, extra: list[Cell], label: str) -> Problem:
    if extra:
        first = extra[0]
        msg = f"该行有 {len(cells)} 个单元格，多于表头的 {width} 列（第 {first.column} 列起多出）"
        return problem("table.ragged-row", path, first.line, first.column, label, "", msg)
    msg = f"该行只有 {len(cells)} 个单元格，少于表头的 {width} 列"
    column = max(len(cells), 1)
    return problem("table.ragged-row", path, line, column, label, "", msg)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# --- cell values from spreadsheets --------------------------------------------------------------


def spreadsheet_value_text(value: object) -> str:
    """A spreadsheet cell's value as the text a person sees: 12 not 12.0, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)
