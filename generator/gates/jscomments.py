"""JavaScript with its comments blanked out, so that a URL in a licence header or a `// see https://…`
remark is not mistaken for something the script fetches.

A small tokenizer, not a parser: it knows strings, template literals, regular-expression literals
(by the usual rule: a "/" where an operand is expected starts one) and comments. Blanked characters
become spaces and newlines stay, so offsets and line numbers still point into the original file.
"""

from __future__ import annotations

# After these, a "/" starts a regular expression rather than a division.
_OPERAND_EXPECTED = set("(,=:[!&|?{};+-*%<>~^")
_KEYWORDS_BEFORE_OPERAND = {
    "return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "instanceof",
    "yield", "await",
}  # fmt: skip


def _end_of_string(js: str, i: int, quote: str) -> int:
    """Index just after the string literal that starts at js[i] == quote."""
    n = len(js)
    i += 1
    while i < n:
        c = js[i]
        if c == "\\":
            i += 2
            continue
        if c == quote or (c == "\n" and quote != "`"):
            return i + 1
        i += 1
    return n


def _end_of_regex(js: str, i: int) -> int:
    n = len(js)
    i += 1
    in_class = False
    while i < n and js[i] != "\n":
        c = js[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c == "/" and not in_class:
            i += 1
            while i < n and (js[i].isalnum() or js[i] == "_"):
                i += 1  # flags
            return i
        i += 1
    return i


def _blank(chars: list[str], start: int, end: int) -> None:
    for k in range(start, end):
        if chars[k] != "\n":
            chars[k] = " "


def strip_comments(js: str) -> str:
    chars = list(js)
    n = len(js)
    i = 0
    previous = ""  # the last token outside comments: one operator character or a whole word
    while i < n:
        c = js[i]
        nxt = js[i + 1] if i + 1 < n else ""
        if c in "'\"`":
            i = _end_of_string(js, i, c)
            previous = '"'
        elif c == "/" and nxt == "/":
            end = js.find("\n", i)
            end = n if end < 0 else end
            _blank(chars, i, end)
            i = end
        elif c == "/" and nxt == "*":
            end = js.find("*/", i + 2)
            end = n if end < 0 else end + 2
            _blank(chars, i, end)
            i = end
        elif c == "/" and (
            previous == "" or previous in _OPERAND_EXPECTED or previous in _KEYWORDS_BEFORE_OPERAND
        ):
            i = _end_of_regex(js, i)
            previous = "/regex/"
        elif c.isalnum() or c in "_$":
            start = i
            while i < n and (js[i].isalnum() or js[i] in "_$"):
                i += 1
            previous = js[start:i]
        else:
            if not c.isspace():
                previous = c
            i += 1
    return "".join(chars)
