"""XLSX tables via openpyxl (first worksheet; line = spreadsheet row, column = spreadsheet column)."""

from __future__ import annotations

import io
import warnings
import zipfile

from generator.problem_codes import problem
from generator.problems import Problem
from generator.sources.tables import Cell, Table, spreadsheet_value_text


def read_xlsx(data: bytes, path: str) -> tuple[Table | None, list[Problem]]:
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
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return None, [problem("table.empty", path, 1, 1, "", "", "Excel 文件中没有工作表")]
        rows: list[tuple[int, list[Cell]]] = []
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [Cell(spreadsheet_value_text(v), line, col) for col, v in enumerate(values, start=1)]
            while cells and not cells[-1].text:
                cells.pop()
            rows.append((line, cells))
    except Exception as exc:  # noqa: BLE001 - corrupt sheet XML surfaces while iterating
        msg = f"读取 Excel 工作表时出错（{type(exc).__name__}）：文件可能已损坏"
        return None, [problem("table.xlsx", path, 1, 1, "", "", msg)]
    finally:
        book.close()
    if not rows or not any(c.text.strip() for c in rows[0][1]):
        return None, [problem("table.empty", path, 1, 1, "", "", "表格为空：第 1 行应是表头")]
    header = rows[0][1]
    # A spreadsheet has no ragged rows: empty trailing cells are simply absent, so pad them back.
    padded = [(line, cells + [Cell("", line, c) for c in range(len(cells) + 1, len(header) + 1)])
              for line, cells in rows[1:]]
    return Table(header=header, rows=padded), []
