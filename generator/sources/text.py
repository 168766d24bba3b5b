"""Reading files as text without ever guessing an encoding silently wrong."""

from __future__ import annotations

from pathlib import Path

from generator.problem_codes import problem
from generator.problems import Problem


def read_bytes_or_problem(path: Path, display_path: str) -> tuple[bytes | None, list[Problem]]:
    try:
        return path.read_bytes(), []
    except (OSError, ValueError) as exc:
        message = f"无法读取文件（{_reason(exc)}）"
        return None, [problem("file.unreadable", display_path, 1, 1, "", "", message)]


def _reason(exc: Exception) -> str:
    # Staff read Chinese; the OS's English strerror is kept only for the rare other cases.
    for kind, text in _REASONS:
        if isinstance(exc, kind):
            return text
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__


_REASONS = (
    (FileNotFoundError, "文件不存在"),
    (IsADirectoryError, "这是一个目录，不是文件"),
    (PermissionError, "没有读取权限"),
)


def line_col_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as an editor counts them) of a byte offset in text that
    is UTF-8 up to that offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def decode_utf8_or_problem(path: Path, display_path: str) -> tuple[str | None, list[Problem]]:
    """The file as UTF-8 text (a BOM is allowed), or a positioned problem."""
    data, problems = read_bytes_or_problem(path, display_path)
    if data is None:
        return None, problems
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = line_col_of_offset(data, nul)
        return None, [problem("file.binary", display_path, line, col, "", "", "文件含有 NUL 字节，不是文本文件")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = line_col_of_offset(data, exc.start)
        hint = "看起来是 GB18030/GBK 编码" if _decodes_as_gb18030(data) else "不是 UTF-8 编码"
        msg = f"文件{hint}；数据文件须为 UTF-8（在第 {line} 行遇到无法解码的字节 0x{data[exc.start]:02X}）"
        return None, [problem("file.encoding", display_path, line, col, "", "", msg)]
    return text, []


def _decodes_as_gb18030(data: bytes) -> bool:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True
