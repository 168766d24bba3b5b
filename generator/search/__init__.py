"""Search: a static, sharded character n-gram index and its browser client.

Integration surface (everything else in this package is internal):

Python, at build time::

    from generator.search import SearchDoc, build_index, copy_assets, render_search_page, render_header_search

    stats = build_index(docs, site_dir / "search" / "index")   # docs: Iterable[SearchDoc]
    copy_assets(site_dir / "assets" / "search")                # search.js, search.css
    body = render_search_page(index_url="index/", site_root="../")   # body of /search/
    header = render_header_search(search_url="<relative path to>/search/")

* Pass only public records: expired and withdrawn ones must simply not be in `docs`.  Withdrawn
  records may leave `placeholders(standing_for=[(url, date), …])` in their stead (or, where
  their url must not stay, anonymous `placeholders([their dates])`): empty docs, found by no
  query and listed nowhere (blank.json), that keep the other docs' ids where they were, so that
  withdrawing a record patches cheaply (stand_ins, patch_plan).
* `SearchDoc.url` is site-relative ("penalties/xyz/"); the browser resolves it against the
  fragment's data-site-root. `base_url_prefix` is prepended to every url if needed.
* `facets`: keys kind and year are filled in from `kind` and `date`; use the keys category
  (处罚类别, several values allowed), level (事故等级), industry (所属行业), authority (处罚机关 /
  调查组牵头单位 / 实施主体) and party (相对人类别) so that the default Chinese labels apply; other
  keys work too (label = key unless given in `facet_labels`). Facet keys are URL parameters.
* `sort_keys`: e.g. {"amount": 50000.0} (元); any key becomes the sorts `<key>` (desc) and
  `<key>-asc` for listings.
* `fields`: short display strings returned with each hit (for listing tables).
* Same input → byte-identical output; out_dir is emptied first, but only if it holds an index.
* Incremental: `build_index_with_state` also returns an IndexState (keep it in the build cache,
  never in out_dir); after some docs changed, came or went, `patch.patch_index(out_dir, state,
  [(old, new), …], added=[…], removed=[old, …], same options)` rewrites only the files that
  change, to exactly what a full build writes, and returns the next state — or raises
  patch.CannotPatch, having written nothing, when only a full build will do (see patch.py).
* Doc ids follow date, oldest first, undated docs before the dated ones (builder._order): a new
  recent doc shifts only the ids of the few after it.  The client turns id order around for its
  newest-first orders.

The /search/ page must load search.css and search.js (plain script, no module, no build
step; `defer` is fine) and contain the search_page.html fragment. The header form is a plain
GET form to the search page (works without JavaScript).

Browser API (window.GongkaiSearch), usable from listing pages too::

    const engine = GongkaiSearch.open("../search/index/");
    const res = await engine.query({q: "危险化学品", filters: {kind: ["penalty"], year: ["2024"]},
                                    sort: "relevance" | "date" | "date-asc" | "amount" | "amount-asc",
                                    page: 1, pageSize: 20});
    // res = {total, exact, completable, hits: [{url, title, titleParts, kind, date, snippetParts:
    //        [{text, hit}], fields, identifier}], page, pageSize, sort, terms, ids}
    // exact false: on the largest sites a phrase of very common bigrams is answered from candidates
    // checked against their text, with an estimated total; completable: the same query with
    // {complete: true} downloads their positions (up to meta.exactBudget) and is exact.  The
    // /search/ page shows the estimate ([data-search-estimate]) and then the exact total.
    // q "" with filters → the filtered set, newest first (or by the given sort key).
    const counts = await engine.facetCounts(res.ids);   // {facetKey: {value: count}}

Index layout under out_dir (formats in encode.py): meta.json (doc count, shard counts, facets
with labels and counts, sort columns, a version of the docs' content), fold.json (traditional→simplified and punctuation table
for the query side), chunks.json (docs per doc-store chunk), g/<shard>.bin (unigram and bigram
→ doc ids, all text and title only), p/<shard>.bin (bigram positions, for exact phrase checks),
gx/ and px/ (postings of common grams, one file each), id/<shard>.bin (normalised identifiers, and
the docs containing each identifier as written: identifiers.py),
f/<n>.bin (facet value → doc ids), blank.json (the placeholders' ids), s/<n>.bin (sort-key rank per doc), d/<first doc id>.json (doc
store, in chunks with content-defined ends: builder.chunk_ends).
"""

from .builder import IndexStats, SearchDoc, build_index, build_index_with_state, placeholders
from .fragments import ASSETS_DIR, TEMPLATES_DIR, copy_assets, render_header_search, render_search_page

__all__ = [
    "ASSETS_DIR",
    "TEMPLATES_DIR",
    "IndexStats",
    "SearchDoc",
    "build_index",
    "build_index_with_state",
    "copy_assets",
    "placeholders",
    "render_header_search",
    "render_search_page",
]
