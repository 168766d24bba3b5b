"""Character folding shared by the index builder and the browser client.

Folding is applied *per character* on both sides (index and query), so it is a string
homomorphism: fold(a + b) == fold(a) + fold(b).  That is what keeps substring recall true by
construction: if a query is a substring of a record's text, its folded form is a substring of
the record's folded text.

Per character, in this order (the client in assets/search.js does exactly the same):
1. Unicode NFKC (full-width → half-width, compatibility forms), then lower case;
2. traditional → simplified, one character to one character (t2s.json, derived from zhconv, the
   project's pinned converter, by scripts/make_t2s_table.py), so 安全生產 and 安全生产 meet;
3. punctuation variants that differ between sources are unified: every bracket kind becomes
   ( or ), quotes become " or ', dashes become -, middle dots become ·;
4. whitespace is dropped, so "云应急罚 〔2024〕 123号" meets "云应急罚〔2024〕123号".

Steps 2–3 are shipped to the browser as a table (`client_fold_table`); step 1 uses the browser's
own String.prototype.normalize / toLowerCase.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from pathlib import Path

# Bracket and punctuation variants seen in 文书号 and titles from different sources.
_OPEN = "([{〔【〖〘〚「『﹝⦅〈《"
_CLOSE = ")]}〕】〗〙〛」』﹞⦆〉》"
_PUNCT: dict[str, str] = {c: "(" for c in _OPEN} | {c: ")" for c in _CLOSE}
_PUNCT |= {c: '"' for c in "“”„‟″"} | {c: "'" for c in "‘’‚‛′"}
_PUNCT |= {c: "-" for c in "‐‑‒–—―−"} | {c: "·" for c in "・•‧∙⋅"}

T2S_FILE = Path(__file__).with_name("t2s.json")


@functools.cache
def _t2s_table() -> dict[str, str]:
    """Traditional → simplified, single characters only.  Shipped as data: deriving it from zhconv
    walks 90k code points and costs about 0.7 s of every build (tests/search check it is current)."""
    return json.loads(T2S_FILE.read_text(encoding="utf-8"))


def _post(ch: str) -> str:
    """Steps 2–4 for one already NFKC-normalised, lower-cased character."""
    if ch.isspace():
        return ""
    ch = _t2s_table().get(ch, ch)
    return _PUNCT.get(ch, ch)


def fold_char(ch: str) -> str:
    """The folded form of one character (possibly empty or several characters)."""
    return "".join(_post(c) for c in unicodedata.normalize("NFKC", ch).lower())


class _FoldTable(dict):
    """str.translate table filled lazily: a corpus uses a few thousand distinct characters, and
    computing all 1.1M code points up front costs seconds on every build."""

    def __missing__(self, cp: int) -> str:
        folded = fold_char(chr(cp))
        self[cp] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Fold a whole string (index side and Python-side tests)."""
    return text.translate(_TABLE)


# Identifiers (文书号, 统一社会信用代码) are compared on letters, digits and CJK only: brackets,
# punctuation and spaces are the parts that vary between how a decision is written and typed.
def identifier_key(text: str) -> str:
    return folded_key(fold(text))


class _KeyTable(dict):
    """str.translate table keeping letters and digits (str.isalnum), filled as characters appear."""

    def __missing__(self, cp: int) -> int | None:
        kept = cp if chr(cp).isalnum() else None
        self[cp] = kept
        return kept


_KEY_TABLE = _KeyTable()


def folded_key(folded: str) -> str:
    """The identifier key of an already folded text (the client's identifierKey of a term)."""
    return folded.translate(_KEY_TABLE)


def client_fold_table(present: set[str]) -> dict[str, str]:
    """Steps 2–3 for the browser, limited to traditional characters whose simplified form occurs
    in the index: any other traditional character cannot match anything either way."""
    table = {t: s for t, s in _t2s_table().items() if s in present}
    table.update(_PUNCT)
    # Whitespace as Python sees it (JS's \s differs slightly), after NFKC has run.
    table.update((chr(cp), "") for cp in range(0x3001) if chr(cp).isspace())
    return dict(sorted(table.items()))
