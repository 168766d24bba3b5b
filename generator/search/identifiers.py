"""Which docs contain each identifier as written (文号, 统一社会信用代码), found once at build time.

A typed identifier is the query a visitor most expects to be instant, and the bigram index answers
it slowly: its bigrams are common ones ('应急', '20', '号' …), so its positions are too large to
download and the candidates have to be checked against their text, a third round of downloads.
Here every identifier's folded form is looked for in every doc's folded title and text in one
Aho–Corasick pass over the corpus, and the id tables carry the exact answer: the client asks them
first for a term that could be an identifier (`could_be_identifier`, mirrored in search.js).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

import ahocorasick

from .fold import fold

MIN_CHARS = 6  # the shortest identifier form answered here; shorter terms take the bigram path
_AFTER_ALL = chr(0x10FFFF)  # sorts after any character of a form (a noncharacter)


def could_be_identifier(form: str) -> bool:
    """A folded term the id tables may answer: 文号 and credit codes all carry ASCII digits."""
    return len(form) >= MIN_CHARS and has_ascii_digit(form)


def has_ascii_digit(text: str) -> bool:
    """What the client tests with /[0-9]/ (str.isdigit would take other scripts' digits too)."""
    return any("0" <= c <= "9" for c in text)


def identifier_forms(identifiers: Iterable[str]) -> set[str]:
    """The folded forms of some identifiers that the id tables answer (see could_be_identifier)."""
    return {form for ident in identifiers if could_be_identifier(form := fold(ident))}


def forms_in(folded: str, forms: Sequence[str]) -> set[str]:
    """The forms (sorted, as IdentifierScan.forms) that occur in one folded text: what the scan
    finds in it, for the patcher, which looks at a few docs only and cannot afford to build the
    automaton of every form.  From each start, the range of forms beginning with the text there
    narrows one character at a time (many 文号 share their first characters); a form found is
    the first of its range."""
    found = set()
    for i in range(len(folded) - MIN_CHARS + 1):
        end = i + MIN_CHARS
        prefix = folded[i:end]
        lo = bisect.bisect_left(forms, prefix)
        hi = bisect.bisect_left(forms, prefix + _AFTER_ALL, lo)
        while lo < hi:
            if forms[lo] == prefix:
                found.add(prefix)
            if end == len(folded):
                break
            end += 1
            prefix = folded[i:end]
            lo = bisect.bisect_left(forms, prefix, lo, hi)
            hi = bisect.bisect_left(forms, prefix + _AFTER_ALL, lo, hi)
    return found


class IdentifierScan:
    """Feed it each doc's folded title and text, in doc id order; then `containing` tells, per form,
    the docs whose title or text contains it and the docs whose title does."""

    def __init__(self, identifiers: Iterable[str]) -> None:
        self.forms = sorted(identifier_forms(identifiers))
        self._automaton = ahocorasick.Automaton()
        for number, form in enumerate(self.forms):
            self._automaton.add_word(form, number)
        if self.forms:
            self._automaton.make_automaton()
        self._docs: list[list[int]] = [[] for _ in self.forms]
        self._titles: list[list[int]] = [[] for _ in self.forms]

    def scan(self, doc_id: int, folded_title: str, folded_text: str) -> str:
        """Record the forms in one doc; returns title + "\\n" + text (the corpus string of the doc,
        which no form can straddle: folded forms hold no whitespace)."""
        combined = folded_title + "\n" + folded_text
        if not self.forms:
            return combined
        title_end = len(folded_title)
        for end, number in self._automaton.iter(combined):
            docs = self._docs[number]
            if not docs or docs[-1] != doc_id:
                docs.append(doc_id)
            titles = self._titles[number]
            if end < title_end and (not titles or titles[-1] != doc_id):
                titles.append(doc_id)
        return combined

    def containing(self) -> Iterable[tuple[str, list[int], list[int]]]:
        """(form, docs containing it, docs whose title contains it), forms in sorted order."""
        return zip(self.forms, self._docs, self._titles, strict=True)
