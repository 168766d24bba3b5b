"""What a build (or patch) of an index remembers for the next patch of the same directory.

The index files hold everything a query needs, but some of it cannot be read back cheaply: which
doc id a url has and where a new doc goes (the dates), the size of every doc-store row, which grams
compete for meta.json's `common` list, where each checkpoint doc's group starts in a common
bigram's positions, which identifier forms exist, which identifiers each doc has (the "k" entries
that hold a doc whose id shifts).
IndexState holds exactly that, compactly; the caller keeps it in its build cache (never in the
index directory, which must stay what a full build writes).  It is a function of the build's
input and options only, so a patch returns the same state as a full build of the patched docs.
"""

from __future__ import annotations

from dataclasses import dataclass

STATE_VERSION = 2


@dataclass(frozen=True)
class IndexState:
    version: int
    options: tuple  # build options (url prefix, labels, orders) and layout constants, normalised
    meta_digest: bytes  # sha256 of meta.json, which holds the content version: the index it describes
    urls: tuple[str, ...]  # doc urls in doc id order
    date_counts: tuple[tuple[str, int], ...]  # (date, docs of that date), dated docs in id order
    checkpoint_docs: tuple[int, ...]  # ids of the docs that bigram position checkpoints are at
    # gram tables
    shards: int
    inline: int  # inline payload bytes, which decide the shard count
    grams: int
    present: str  # unigrams of the index, sorted (fold.json depends on them)
    candidates: dict[str, int]  # grams too big to share a shard file → df (meta.json's `common` is the top)
    checkpoints: dict[str, bytes]  # bigrams with big positions → grams.position_checkpoints
    # id tables
    id_shards: int
    id_keys: int
    id_keys_without_digit: int
    doc_keys: tuple[tuple[str, ...], ...]  # per doc: its identifier keys (builder.doc_keys)
    forms: tuple[str, ...]  # identifier forms (IdentifierScan.forms), sorted
    form_holders: tuple[int, ...]  # per form: how many docs list an identifier of that form
    # sort columns: per key, each doc's value (None if absent) and how many docs have the key
    sort_values: dict[str, tuple]
    sort_holders: dict[str, int]
    # doc store
    row_sizes: bytes  # uint32 per doc: bytes of its row in the doc store
    chunk_starts: tuple[int, ...]  # first doc id of every chunk (its file is d/<first doc id>.json)
