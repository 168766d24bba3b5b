"""XLSX tables via openpyxl (line = spreadsheet row, column = spreadsheet column).

The table is the worksheet whose header (its first row, or a row below a title: tables.locate_table)
names one of the kind's columns (bureaus often put a 说明 sheet first); with none, the first worksheet,
whose header problems then say what is wrong."""

from __future__ import annotations

import io
import re
import warnings
import zipfile

from generator.problem_codes import problem
from generator.problems import Problem, Severity
from generator.sources.tables import (
    TITLE_ROWS_AT_MOST,
    Cell,
    Table,
    header_index,
    header_key,
    locate_table,
    spreadsheet_value_text,
)


def read_xlsx(data: bytes, path: str, known: tuple[str, ...] | list[str] = ()) -> tuple[Table | None, list[Problem]]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it cannot read
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError) as exc:
        msg = f"无法读取 Excel 文件（{type(exc).__name__}）：文件可能损坏、加密，或不是 .xlsx 格式"
        return None, [problem("table.xlsx", path, 1, 1, "", "", msg)]
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on hostile files; none may escape
        msg = f"无法读取 Excel 文件（{type(exc).__name__}）"
        return None, [problem("table.xlsx", path, 1, 1, "", "", msg)]
    try:
        if not book.worksheets:
            return None, [problem("table.empty", path, 1, 1, "", "", "Excel 文件中没有工作表")]
        index, sheet_problems = _table_sheet(book.worksheets, {header_key(h) for h in known}, path)
        if index is None:
            return None, sheet_problems
        sheet = book.worksheets[index]
        notes = sheet_problems
        if index:
            msg = f"读取的是第 {index + 1} 个工作表“{sheet.title}”：前面的工作表第 1 行没有本类数据的表头；以下行号、列号都指这个工作表"
            notes.append(problem("table.sheet", path, 1, 1, "", "", msg))
        rows: list[tuple[int, list[Cell]]] = []
        long_numbers: list[tuple[int, int, float]] = []
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [Cell(spreadsheet_value_text(v), line, col) for col, v in enumerate(values, start=1)]
            long_numbers += [(line, col, v) for col, v in enumerate(values, start=1) if _is_long_number(v)]
            while cells and not cells[-1].text:
                cells.pop()
            rows.append((line, cells))
        merged = _merged_ranges(book, sheet)
    except Exception as exc:  # noqa: BLE001 - corrupt sheet XML surfaces while iterating
        msg = f"读取 Excel 工作表时出错（{type(exc).__name__}）：文件可能已损坏"
        return None, [problem("table.xlsx", path, 1, 1, "", "", msg)]
    finally:
        book.close()
    table, located = locate_table(rows, known, path)
    notes += located
    if table is None:
        return None, notes
    header_line = table.header[0].line
    merge_problems = _spread_merged(table, merged, path)
    if any(p.severity == Severity.ERROR for p in merge_problems):
        return None, [*notes, *merge_problems]
    notes += merge_problems
    notes += _long_numbers(long_numbers, table.header, header_line, path)
    uncomputed = _uncomputed_formulas(data, index, rows, table.header, path)
    if uncomputed:  # those cells would be read as empty: the import would lose their values
        return None, [*notes, *uncomputed]
    # A spreadsheet has no ragged rows: empty trailing cells are simply absent, so pad them back.
    width = len(table.header)
    padded = [(line, cells + [Cell("", line, c) for c in range(len(cells) + 1, width + 1)])
              for line, cells in table.rows]
    return Table(header=table.header, rows=padded), notes


# Tags may carry a namespace prefix (<x:mergeCell …>, as some .NET writers save them).
_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})([0-9]+):([A-Z]{1,3})([0-9]+)"')
_MERGE_CELLS = re.compile(rb"<(?:\w+:)?mergeCells\b")


def _merged_ranges(book: object, sheet: object) -> list[tuple[int, int, int, int]]:
    """The sheet's merged cells as (first row, first column, last row, last column).  The read-only
    reader skips them, so they are read from the sheet's XML, where they follow the rows."""
    path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(book, "_archive", None)
    if not path or archive is None:
        return []
    xml = archive.read(path)
    starts = [m.start() for m in _MERGE_CELLS.finditer(xml)]
    if not starts:
        return []
    at = starts[-1]  # the last one: the list follows the rows
    return [
        (int(r1), _column_number(c1.decode()), int(r2), _column_number(c2.decode()))
        for c1, r1, c2, r2 in _MERGE_CELL.findall(xml, at)
    ]


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _spread_merged(table: Table, merged: list[tuple[int, int, int, int]], path: str) -> list[Problem]:
    """A cell merged down several record rows holds the value of each of them, as a person reads the
    sheet (one 处罚机关 or date for a block of rows): it is copied into every row it covers, and said.
    A cell merged across columns cannot say which column its value belongs to: refused."""
    header_line = table.header[0].line
    by_line = {line: cells for line, cells in table.rows}
    out = []
    for first_row, first_col, last_row, last_col in sorted(merged):
        if not any(line in by_line for line in range(first_row, last_row + 1)):
            continue  # a title, the header, or a note below the records: not records
        ref = f"{_column_letters(first_col)}{first_row}:{_column_letters(last_col)}{last_row}"
        refusal = ""
        if first_row <= header_line:
            refusal = f"合并单元格 {ref} 从表头延伸到记录行：请取消合并，把值填在每一行"
        elif last_col > first_col:
            refusal = f"合并单元格 {ref} 横跨多列，无法判断它的值属于哪一列：请取消合并，把值填在它所属的列"
        if refusal:
            out.append(problem("table.merged", path, first_row, first_col, "", "", refusal, Severity.ERROR))
            continue
        source = by_line.get(first_row, [])
        value = source[first_col - 1].text if first_col <= len(source) else ""
        for line in range(max(first_row + 1, header_line + 1), last_row + 1):
            cells = by_line.get(line)
            if cells is None:
                continue
            cells.extend(Cell("", line, c) for c in range(len(cells) + 1, first_col + 1))
            cells[first_col - 1] = Cell(value, line, first_col)
        shown = value if len(value) <= 20 else value[:19] + "…"
        msg = f"合并单元格 {ref} 的值“{shown}”用于它覆盖的每一行（第 {first_row}—{last_row} 行）"
        out.append(problem("table.merged", path, first_row, first_col, "", "", msg))
    return out


def _table_sheet(sheets: list, known_keys: set[str], path: str) -> tuple[int | None, list[Problem]]:
    """The one visible sheet whose first row names a known column (0 when none does), or None with a
    problem when several do: reading one of them would silently drop the others' rows.  A hidden
    sheet is never read (staff cannot see what they would be importing); one with a table is named."""
    tables, hidden = [], []
    for index, sheet in enumerate(sheets):
        top = [
            (line, [Cell(spreadsheet_value_text(v), line, col) for col, v in enumerate(values, start=1)])
            for line, values in enumerate(sheet.iter_rows(max_row=TITLE_ROWS_AT_MOST + 1, values_only=True), start=1)
        ]
        header = top[header_index(top, known_keys)][1] if top else []
        if any(header_key(c.text) in known_keys for c in header if c.text.strip()):
            (tables if _visible(sheet) else hidden).append(index)
    problems = [
        problem("table.sheet", path, 1, 1, "", "", f"隐藏的工作表“{sheets[i].title}”有本类数据的表头，但隐藏的工作表不会导入；需要导入请取消隐藏")
        for i in hidden
    ]
    if len(tables) > 1:
        names = "、".join(f"“{sheets[i].title}”" for i in tables)
        msg = (f"有 {len(tables)} 个工作表带本类数据的表头（{names}）：一次只能导入一个工作表，否则其余工作表的记录会被漏掉；"
               "请把记录合并到一个工作表，或分别另存为单独的文件再导入")
        return None, [*problems, problem("table.sheets", path, 1, 1, "", "", msg)]
    first_visible = next((i for i, sheet in enumerate(sheets) if _visible(sheet)), 0)
    return (tables[0] if tables else first_visible), problems


def _visible(sheet: object) -> bool:
    return getattr(sheet, "sheet_state", "visible") == "visible"


def _uncomputed_formulas(
    data: bytes, index: int, rows: list[tuple[int, list[Cell]]], header_cells: list[Cell], path: str
) -> list[Problem]:
    """Formula cells of the sheet with no saved result.  Excel and WPS save each formula's result, but
    files written by programs often hold the formula alone, which reads as an empty cell."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if not any(b"<f" in archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")):
                return []
        import openpyxl

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            formulas = [
                (line, column, value)
                for line, values in enumerate(book.worksheets[index].iter_rows(values_only=True), start=1)
                for column, value in enumerate(values, start=1)
                if isinstance(value, str) and value.startswith("=")
            ]
        finally:
            book.close()
    except Exception:  # noqa: BLE001 - the sheet was readable once; a second reading adds nothing to say
        return []
    read = {(cell.line, cell.column): cell.text for _, cells in rows for cell in cells}
    header_line = header_cells[0].line
    out = []
    for line, column, formula in formulas:
        if read.get((line, column), ""):
            continue  # its saved result was read
        shown = formula if len(formula) <= 30 else formula[:29] + "…"
        message = (
            f"单元格是公式（{shown}），但文件中没有保存公式的计算结果，读出来是空的："
            "请在 Excel 或 WPS 中打开后保存，再导入；或把公式改为数值"
        )
        label, name = _row_label(line, column, header_cells, header_line)
        out.append(problem("table.formula", path, line, column, label, name, message))
    return out


def _row_label(line: int, column: int, header_cells: list[Cell], header_line: int) -> tuple[str, str]:
    """The problem's record label and field for a cell: row N and the column's header below the header."""
    if line <= header_line:
        return "", ""
    return f"row {line - header_line}", header_cells[column - 1].text if column <= len(header_cells) else ""


def _is_long_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e15


def _long_numbers(cells: list[tuple[int, int, float]], header_cells: list[Cell], header_line: int, path: str) -> list[Problem]:
    """Cells holding a number of 16 or more digits: Excel keeps 15 significant digits, so an ID-card
    number or an all-digit credit code typed as a number has already lost its last digits."""
    out = []
    for line, column, value in cells:
        if line <= header_line:
            continue
        read = spreadsheet_value_text(value)
        msg = (f"单元格是一个 {len(read.lstrip('-'))} 位的数字（读到的是 {read}）：Excel 只保留 15 位有效数字，"
               "后面的数字可能已经变了；请把这一列设为“文本”格式后重新输入")
        label, name = _row_label(line, column, header_cells, header_line)
        out.append(problem("table.long-number", path, line, column, label, name, msg))
    return out
