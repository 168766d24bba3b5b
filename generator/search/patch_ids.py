"""The id tables of a patch (patch.py): the "k" entries of the identifiers that changed docs list
or listed, the "c" entries of the identifier forms in their texts, and every entry holding a doc
whose id shifts."""

from __future__ import annotations

import bisect
import itertools
import json
from collections import defaultdict
from collections.abc import Sequence

import ahocorasick
import numpy as np

from .builder import doc_keys, id_entry, id_shard, id_shard_count
from .encode import decode_posting, entry_header, table_spans, varint_bytes
from .fold import fold, folded_key
from .grams import MAX_DOCS
from .identifiers import forms_in, has_ascii_digit, identifier_forms
from .patch_grams import GramPatch
from .patch_plan import CannotPatch, DocRows, Files, Op, Plan, out_of_sync, remap
from .state import IndexState

# A new identifier form must be looked for in every doc: the docs holding all its bigrams are
# candidates, checked against their text in the doc store.  More candidates than this, and the
# patch is refused (a full build scans every text in one pass).
FORM_CANDIDATES_MAX = 400


def moving_names(state: IndexState, movers: Sequence[tuple[int, str, str]]) -> set[str]:
    """The entries that hold the docs whose ids shift (old id, folded title, folded text)."""
    names = {"k" + key for doc, _title, _text in movers for key in state.doc_keys[doc]}
    return names | {"c" + form for form in _forms_in_all([t + "\n" + x for _d, t, x in movers], state.forms)}


def _forms_in_all(texts: Sequence[str], forms: Sequence[str]) -> set[str]:
    """The forms that occur in any of the texts (no form holds a newline).  For more than a few
    texts, one automaton of every form (as IdentifierScan builds, 50 ms at 100k forms) beats
    forms_in, which looks a form up from every position of a text (0.5 ms a decision)."""
    if len(texts) < 100 or not forms:
        return {form for text in texts for form in forms_in(text, forms)}
    automaton = ahocorasick.Automaton()
    for form in forms:
        automaton.add_word(form, form)
    automaton.make_automaton()
    return {form for text in texts for _end, form in automaton.iter(text)}


def _forms(state: IndexState, p: Plan) -> tuple[list[str], list[int], set[str], set[str]]:
    """The forms and their holder counts after the patch; the forms that appear and vanish."""
    forms, holders = list(state.forms), list(state.form_holders)
    delta: dict[str, int] = defaultdict(int)
    for c in p.changes:
        old = identifier_forms(c.old.identifiers) if c.old else set()
        new = identifier_forms(c.new.identifiers) if c.new else set()
        for f in old - new:
            delta[f] -= 1
        for f in new - old:
            delta[f] += 1
    appeared, vanished = set(), set()
    for f, d in sorted(delta.items()):
        at = bisect.bisect_left(forms, f)
        known = at < len(forms) and forms[at] == f
        count = (holders[at] if known else 0) + d
        if count < 0:
            raise out_of_sync(f"identifier {f}")
        if not known and count:
            forms.insert(at, f)
            holders.insert(at, count)
            appeared.add(f)
        elif known and not count:
            del forms[at], holders[at]
            vanished.add(f)
        elif known:
            holders[at] = count
    return forms, holders, appeared, vanished


def patch_ids(
    files: Files, state: IndexState, p: Plan, grams: GramPatch, store: DocRows, moving: set[str]
) -> dict:
    """Rewrites the id tables that change; returns the state's id fields."""
    forms, holders, appeared, vanished = _forms(state, p)
    # entry name → (change, was in, is in) for the docs and for the titles; whole lists for new forms
    ops: dict[str, tuple[list[Op], list[Op]]] = defaultdict(lambda: ([], []))
    whole: dict[str, tuple[list[int], list[int]]] = {}
    old_forms = state.forms
    found = []
    for c in p.changes:
        old_t = forms_in(c.old_title, old_forms) if c.old else set()
        new_t = forms_in(c.new_title, forms) if c.new else set()
        old_d = old_t | forms_in(c.old_text, old_forms) if c.old else set()
        new_d = new_t | forms_in(c.new_text, forms) if c.new else set()
        if c.new is not None:
            found.append((c.new_id, new_d, new_t))
        for f in (old_d | new_d) - appeared - vanished:
            body, title = (f in old_d, f in new_d), (f in old_t, f in new_t)
            if body[0] != body[1]:
                ops["c" + f][0].append((c, *body))
            if title[0] != title[1]:
                ops["c" + f][1].append((c, *title))
        old_keys = set(doc_keys(c.old)) if c.old else set()
        new_keys = set(doc_keys(c.new)) if c.new else set()
        for k in old_keys ^ new_keys:
            ops["k" + k][0].append((c, k in old_keys, k in new_keys))
    skip = {c.old_id for c in p.changes if c.old is not None}
    for f in sorted(appeared):
        docs, titles = _containing(f, grams, store, skip)
        docs, titles = _moved(p, docs), _moved(p, titles)
        for doc, new_d, new_t in found:
            if f in new_d:
                docs.append(doc)
            if f in new_t:
                titles.append(doc)
        whole["c" + f] = (sorted(docs), sorted(titles))
    names = set(ops) | set(whole) | {"c" + f for f in vanished} | (moving if p.moves else set())
    by_shard: dict[int, set[str]] = defaultdict(set)
    for name in names:
        by_shard[id_shard(name[1:] if name[0] == "k" else folded_key(name[1:]), state.id_shards)].add(name)
    keys, without_digit = state.id_keys, state.id_keys_without_digit
    for shard, shard_names in sorted(by_shard.items()):
        rel = f"id/{shard:x}.bin"
        table = _IdTable(files.need(rel))
        for name in sorted(shard_names):
            old = table.get(name)
            if name in whole:
                if old is not None:
                    raise out_of_sync(f"identifier {name[1:]} is new but has an entry")
                table.put(name, id_entry(name, *whole[name]))
            elif name[0] == "c" and name[1:] in vanished:
                if old is None:
                    raise out_of_sync(f"identifier {name[1:]} has no entry")
                table.put(name, None)
            else:
                if old is None and name not in ops:
                    raise out_of_sync(f"identifier entry {name} of a doc is missing")
                docs, titles = _id_postings(old)
                body, title = ops.get(name, ([], []))
                docs, titles = remap(docs, body, p), remap(titles, title, p)
                if name[0] == "k" and not len(docs):
                    table.put(name, None)
                    keys -= 1
                    without_digit -= not has_ascii_digit(name[1:])
                else:
                    if name[0] == "k" and old is None:
                        keys += 1
                        without_digit += not has_ascii_digit(name[1:])
                    table.put(name, id_entry(name, docs.tolist(), titles.tolist()))
        files.put(rel, table.bytes())
    if id_shard_count(keys + len(forms)) != state.id_shards:
        raise CannotPatch("the id table shard count would change")
    return {
        "id_keys": keys,
        "id_keys_without_digit": without_digit,
        "forms": tuple(forms),
        "form_holders": tuple(holders),
        "doc_keys": _doc_keys(state, p),
    }


def _moved(p: Plan, old_ids: list[int]) -> list[int]:
    return p.new_ids(np.array(old_ids, dtype=np.int64)).tolist()


def _doc_keys(state: IndexState, p: Plan) -> tuple[tuple[str, ...], ...]:
    new = p.merge(state.doc_keys, [doc_keys(c.new) for c in p.added])
    for c in p.changes:
        if c.old is not None:
            if state.doc_keys[c.old_id] != doc_keys(c.old):
                raise out_of_sync(f"identifiers of {c.old.url}")
            if c.new is not None:
                new[c.new_id] = doc_keys(c.new)
    return tuple(new)


class _IdTable:
    """An id table as it is, and the entries a patch puts in, changes or drops (None); the others
    are copied as they are, run by run (an id table holds some 200 entries, a patch changes a
    few: and a patch that shifts ids rewrites every id table)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.names, self.fields, self.starts = table_spans(data, raw_keys=True)  # sorted, as bytes
        self.payload_at = list(itertools.accumulate((f[2] + f[5] for f in self.fields), initial=self.starts[-1]))
        self.changed: dict[bytes, tuple | None] = {}

    def _find(self, raw: bytes) -> tuple[int, bool]:
        i = bisect.bisect_left(self.names, raw)
        return i, i < len(self.names) and self.names[i] == raw

    def get(self, name: str) -> tuple | None:
        """The entry (name, fields, payload), as builder.id_entry makes it, or None."""
        raw = name.encode("utf-8")
        if raw in self.changed:
            return self.changed[raw]
        i, there = self._find(raw)
        if not there:
            return None
        return name, tuple(self.fields[i]), self.data[self.payload_at[i] : self.payload_at[i + 1]]

    def put(self, name: str, entry: tuple | None) -> None:
        self.changed[name.encode("utf-8")] = entry

    def bytes(self) -> bytes:
        """What builder.id_table_bytes writes for the entries as they are now (sorted by name:
        UTF-8 bytes sort as the code points do)."""
        data, heads, payloads, count, done = self.data, [], [], len(self.names), 0
        for raw in sorted(self.changed):
            i, there = self._find(raw)
            heads.append(data[self.starts[done] : self.starts[i]])
            payloads.append(data[self.payload_at[done] : self.payload_at[i]])
            entry = self.changed[raw]
            if entry is not None:
                heads.append(entry_header(entry[0], entry[1]))
                payloads.append(entry[2])
            count += (entry is not None) - there
            done = i + there
        heads.append(data[self.starts[done] : self.starts[-1]])
        payloads.append(data[self.payload_at[done] : self.payload_at[-1]])
        return varint_bytes((count, 6)) + b"".join(heads) + b"".join(payloads)


def _id_postings(entry: tuple | None) -> tuple[np.ndarray, np.ndarray]:
    if entry is None:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    _name, f, payload = entry
    return decode_posting(f[1], payload[: f[2]], MAX_DOCS), decode_posting(f[4], payload[f[2] :], MAX_DOCS)


def _containing(form: str, grams: GramPatch, store: DocRows, skip: set[int]) -> tuple[list[int], list[int]]:
    """The unchanged docs (old ids) whose folded title or text contains a new identifier form,
    and those whose title does: the docs holding all its bigrams, checked against their text."""
    postings = []
    for key in sorted({form[i : i + 2] for i in range(len(form) - 1)}):
        posting = grams.old_posting(key)
        if posting is None:
            return [], []
        postings.append(posting)
    postings.sort(key=lambda p: p.df)
    candidates = postings[0].ids
    for posting in postings[1:]:
        candidates = posting.among(candidates)
    found = [d for d in candidates.tolist() if d not in skip]
    if len(found) > FORM_CANDIDATES_MAX:
        raise CannotPatch(f"identifier {form} is new and could be in {len(found)} docs")
    docs, titles = [], []
    for doc in found:
        _url, title, _kind, _date, text, _fields = json.loads(store.row(doc))
        folded_title = fold(title)
        if form in folded_title:
            titles.append(doc)
        if form in folded_title or form in fold(text):
            docs.append(doc)
    return docs, titles
