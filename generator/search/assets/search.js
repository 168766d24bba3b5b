/* Gongkai search client: static sharded n-gram index, no server, no dependencies.
 * Index format: generator/search/encode.py and builder.py.  Record text is data: everything
 * is rendered with textContent / DOM nodes, never innerHTML.
 * API: window.GongkaiSearch.open(indexUrl) -> engine; engine.query({q, filters, sort, page, pageSize}).
 */
(function () {
  "use strict";

  var DELTA = 0, BITMAP = 1, RUNS = 2;
  var EMPTY = new Uint32Array(0);
  var VERIFY_DOCS = 24;  // candidates checked against their text when positions are too large
  var CHECK_PER_PAGE = 50;  // on large sites: candidates checked by their text, at most, per page shown
  var TYPING_PAUSE_MS = 3000;  // a pause this long ends a typed query: its next edit is a new search (Back returns to it)

  // ---------- binary decoding ----------
  function Reader(bytes, pos) { this.b = bytes; this.p = pos || 0; }
  Reader.prototype.varint = function () {
    var b = this.b, v = 0, mul = 1, x;
    do { x = b[this.p++]; v += (x & 0x7f) * mul; mul *= 128; } while (x & 0x80);
    return v;
  };

  var UTF8 = new TextDecoder("utf-8");
  function parseTable(buf) {
    var bytes = new Uint8Array(buf), r = new Reader(bytes), n = r.varint(), nf = r.varint();
    var entries = new Map(), list = [];
    for (var i = 0; i < n; i++) {
      var kl = r.varint(), key = UTF8.decode(bytes.subarray(r.p, r.p + kl));
      r.p += kl;
      var f = [];
      for (var j = 0; j < nf; j++) f.push(r.varint());
      var e = { key: key, index: i, f: f };
      entries.set(key, e);
      list.push(e);
    }
    return { bytes: bytes, entries: entries, list: list, payload: r.p };
  }

  // Bits set per byte value, for sizing a bitmap's output before filling it.
  var POPCOUNT = new Uint8Array(256);
  for (var pc = 1; pc < 256; pc++) POPCOUNT[pc] = (pc & 1) + POPCOUNT[pc >> 1];

  // Sorted doc ids of one posting, straight into a typed array: postings of common grams hold
  // most of the docs, and growing plain arrays for them cost tens of milliseconds per query.
  function decodePosting(bytes, enc, nDocs) {
    if (!bytes.length) return EMPTY;
    var out, n = 0, i, x;
    if (enc === BITMAP) {
      var count = 0, last = Math.min(bytes.length, Math.ceil(nDocs / 8));
      for (i = 0; i < last; i++) count += POPCOUNT[bytes[i]];
      out = new Uint32Array(count);
      for (i = 0; i < last; i++) {
        x = bytes[i];
        while (x) { var low = x & -x; out[n++] = i * 8 + 31 - Math.clz32(low); x ^= low; }
      }
      while (n && out[n - 1] >= nDocs) n--;  // padding bits past the last doc, if any were set
      return out.subarray(0, n);
    }
    var r = new Reader(bytes), cur = 0;
    out = new Uint32Array(enc === DELTA ? bytes.length : nDocs);  // a DELTA id takes ≥ 1 byte
    while (r.p < bytes.length) {
      if (enc === DELTA) { cur += r.varint(); out[n++] = cur; continue; }
      cur += r.varint();
      var len = r.varint();
      for (var k = 0; k < len; k++) out[n++] = cur + k;
      cur += len;
    }
    return out.subarray(0, n);
  }

  function intersect(a, b) {
    if (a.length > b.length) { var t = a; a = b; b = t; }
    var out = new Uint32Array(a.length), n = 0, j = 0;
    for (var i = 0; i < a.length && j < b.length; i++) {
      var x = a[i];
      if (b[j] < x) { var lo = j, hi = b.length; while (lo < hi) { var m = (lo + hi) >> 1; if (b[m] < x) lo = m + 1; else hi = m; } j = lo; }
      if (j < b.length && b[j] === x) out[n++] = x;
    }
    return out.subarray(0, n);
  }
  function union(a, b) {
    var out = new Uint32Array(a.length + b.length), i = 0, j = 0, n = 0;
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && a[i] < b[j])) out[n++] = a[i++];
      else if (i >= a.length || b[j] < a[i]) out[n++] = b[j++];
      else { out[n++] = a[i++]; j++; }
    }
    return out.subarray(0, n);
  }

  // ---------- folding (mirror of generator/search/fold.py) ----------
  function foldWithMap(text, table) {
    // Folded string plus, for each folded code unit, the index in `text` of its source character.
    var out = "", map = [];
    for (var i = 0; i < text.length;) {
      var cp = text.codePointAt(i), ch = String.fromCodePoint(cp);
      var norm = ch.normalize("NFKC").toLowerCase();
      for (var c of norm) {
        var f = Object.prototype.hasOwnProperty.call(table, c) ? table[c] : c;
        for (var k = 0; k < f.length; k++) map.push(i);
        out += f;
      }
      i += ch.length;
    }
    map.push(text.length);
    return { text: out, map: map };
  }
  function isAlnum(c) { return /[\p{L}\p{N}]/u.test(c); }

  function fnv1a(key) {
    var bytes = new TextEncoder().encode(key), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  // ---------- engine ----------
  function Engine(indexUrl) {
    this.base = new URL(indexUrl.replace(/\/?$/, "/"), document.baseURI);
    this.cache = new Map();
    this.ready = Promise.all([this.json("meta.json"), this.json("fold.json"), this.json("chunks.json")])
      .then(function (r) {
        this.meta = r[0]; this.foldTable = r[1];
        var starts = [0];
        r[2].forEach(function (n) { starts.push(starts[starts.length - 1] + n); });
        this.chunkStarts = starts;
        return this;
      }.bind(this));
  }
  Engine.prototype.fetch = function (rel, kind) {
    var key = kind + ":" + rel;
    if (!this.cache.has(key)) {
      var url = new URL(rel, this.base);
      var p = fetch(url).then(function (resp) {
        if (!resp.ok) throw new Error("HTTP " + resp.status + " " + url);
        return kind === "json" ? resp.json() : resp.arrayBuffer();
      });
      p.catch(function () { this.cache.delete(key); }.bind(this));
      this.cache.set(key, p);
    }
    return this.cache.get(key);
  };
  Engine.prototype.json = function (rel) { return this.fetch(rel, "json"); };
  Engine.prototype.bin = function (rel) { return this.fetch(rel, "bin"); };
  Engine.prototype.table = function (rel) {
    var key = "table:" + rel;
    if (!this.cache.has(key)) this.cache.set(key, this.bin(rel).then(parseTable));
    return this.cache.get(key);
  };

  Engine.prototype.fold = function (text) { return foldWithMap(text, this.foldTable).text; };
  Engine.prototype.terms = function (q) {
    return q.split(/[\s\u3000]+/).map(this.fold, this).filter(Boolean)
      .filter(function (t, i, all) { return all.indexOf(t) === i; });
  };
  Engine.prototype.identifierKey = function (q) {
    return Array.from(this.fold(q)).filter(isAlnum).join("");
  };

  // A gram's entry: {df, tf, docs(), title(), posLen, positions()}, or null if no doc has it.
  // The most common grams are listed in meta.json with their file names: their postings are
  // fetched at once, without their shard's table.
  Engine.prototype.gram = function (key) {
    var self = this, listed = this.meta.common && Object.prototype.hasOwnProperty.call(this.meta.common, key) && this.meta.common[key];
    if (listed) {
      var own = function (dir) { return self.bin(dir + "/" + listed[6] + ".bin").then(function (b) { return new Uint8Array(b); }); };
      return Promise.resolve(gramEntry(key, listed, this.meta.docs, own("gx"), function () {
        return listed[2] & 32 ? own("px") : Promise.resolve(new Uint8Array(0));
      }));
    }
    var shard = (fnv1a(key) & (this.meta.shards - 1)).toString(16), name = function (e) { return shard + "-" + e.index + ".bin"; };
    return this.table("g/" + shard + ".bin").then(function (t) {
      var e = t.entries.get(key);
      if (!e) return null;
      var f = e.f, payload;
      if (f[2] & 16) payload = self.bin("gx/" + name(e)).then(function (b) { return new Uint8Array(b); });
      else {
        var off = t.payload;
        for (var i = 0; i < e.index; i++) { var g = t.list[i].f; if (!(g[2] & 16)) off += g[3] + g[4]; }
        payload = Promise.resolve(t.bytes.subarray(off, off + f[3] + f[4]));
      }
      return gramEntry(key, f, self.meta.docs, payload, function () {
        if (f[2] & 32) return self.bin("px/" + name(e)).then(function (b) { return new Uint8Array(b); });
        var at = 0;
        for (var i = 0; i < e.index; i++) { var g = t.list[i].f; if (!(g[2] & 32)) at += g[5]; }
        return self.bin("p/" + shard + ".bin").then(function (b) { return new Uint8Array(b, at, f[5]); });
      });
    });
  };

  // f: [df, tf, flags, docLen, titleLen, posLen]; payload: a promise of the doc then title postings.
  function gramEntry(key, f, n, payload, positions) {
    var flags = f[2], docLen = f[3];
    return {
      key: key, df: f[0], tf: f[1], posLen: f[5], positions: positions,
      docs: function () { return payload.then(function (p) { return decodePosting(p.subarray(0, docLen), flags & 3, n); }); },
      title: function () { return payload.then(function (p) { return decodePosting(p.subarray(docLen), (flags >> 2) & 3, n); }); },
      // ids ∩ this gram's docs (or title docs): a bitmap is tested bit by bit, never decoded —
      // the common grams of a long query hold nearly every doc.
      narrow: function (ids, inTitle) {
        return payload.then(function (p) {
          var bytes = inTitle ? p.subarray(docLen) : p.subarray(0, docLen), enc = inTitle ? (flags >> 2) & 3 : flags & 3;
          if (!bytes.length || !ids.length) return EMPTY;
          if (enc !== BITMAP) return intersect(ids, decodePosting(bytes, enc, n));
          return ids.filter(function (d) { return (bytes[d >> 3] >> (d & 7)) & 1; });
        });
      },
    };
  }

  // Offsets of the bigrams that tile a term of `len` characters: 0, 2, 4 … and len - 2. Their
  // positions decide a phrase exactly, so the other bigrams need not be fetched at all.
  function cover(len) {
    var offsets = [];
    for (var o = 0; o < len - 2; o += 2) offsets.push(o);
    offsets.push(len - 2);
    return offsets;
  }

  // Positions of one bigram, flat: for the i-th doc of its posting, pos[start[i] .. start[i + 1]).
  function positionsOf(bytes, docs) {
    // Straight into a typed array (a position takes at least one byte): growing a plain array
    // cost tens of milliseconds for the common bigrams of a long phrase.
    var r = new Reader(bytes), start = new Uint32Array(docs.length + 1), pos = new Int32Array(bytes.length), n = 0;
    for (var i = 0; i < docs.length; i++) {
      var count = r.varint(), cur = 0;
      start[i] = n;
      for (var k = 0; k < count; k++) { cur += r.varint(); pos[n++] = cur; }
    }
    start[docs.length] = n;
    return { docs: docs, start: start, pos: pos.subarray(0, n), at: 0 };
  }
  function slotOf(p, d) {  // index of doc d in p.docs; docs are visited in increasing order
    while (p.at < p.docs.length && p.docs[p.at] < d) p.at++;
    return p.at < p.docs.length && p.docs[p.at] === d ? p.at : -1;
  }
  function hasPos(p, slot, value) {
    var lo = p.start[slot], hi = p.start[slot + 1];
    while (lo < hi) { var m = (lo + hi) >> 1; if (p.pos[m] < value) lo = m + 1; else hi = m; }
    return lo < p.start[slot + 1] && p.pos[lo] === value;
  }

  // Docs containing one folded term: {docs, title, exact, completable}.  `budget`: raw bytes of
  // positions the phrase check may download (meta.positionBudget for a first page, at most
  // meta.exactBudget to finish an estimated count); completable: an inexact answer would be exact
  // with exactBudget.
  Engine.prototype.term = async function (term, budget) {
    if (couldBeIdentifier(term)) {
      // One small file instead of the bigram path's three rounds, when the term is an identifier.
      var known = await this.idEntry(Array.from(term).filter(isAlnum).join(""), "c" + term);
      if (known) return { docs: known.docs, title: known.title, exact: true };
    }
    var chars = Array.from(term), self = this, offsets = chars.length === 1 ? [0] : cover(chars.length);
    var keys = chars.length === 1 ? chars : offsets.map(function (o) { return chars[o] + chars[o + 1]; });
    var entries = await Promise.all(keys.map(function (k) { return self.gram(k); }));
    if (entries.some(function (e) { return !e; })) return { docs: EMPTY, title: EMPTY, exact: true };
    var posBytes = 0, counted = {};  // a gram repeated in the phrase is downloaded once
    entries.forEach(function (e) { if (!counted[e.key]) { counted[e.key] = true; posBytes += e.posLen; } });
    var checkable = chars.length > 2 && posBytes <= budget;
    var completable = posBytes <= (this.meta.exactBudget || 0);
    var order = entries.map(function (e, i) { return i; }).sort(function (a, b) { return entries[a].df - entries[b].df; });
    var docs = null, title = null, posts = null, i;
    if (checkable) {
      // Start every download at once: on a static host the round trips dominate latency.
      posts = await Promise.all(entries.map(function (e) { return Promise.all([e.docs(), e.title(), e.positions()]); }));
      for (i of order) {
        docs = docs ? intersect(docs, posts[i][0]) : posts[i][0];
        title = title ? intersect(title, posts[i][1]) : posts[i][1];
      }
    } else {
      // Rarest gram first; the others only narrow it down (their payloads are already on the way).
      var first = entries[order[0]];
      [docs, title] = await Promise.all([first.docs(), first.title()]);
      for (i of order.slice(1)) [docs, title] = await Promise.all([entries[i].narrow(docs, false), entries[i].narrow(title, true)]);
    }
    title = intersect(title, docs);
    if (chars.length <= 2 || !docs.length) return { docs: docs, title: title, exact: true };
    if (!checkable) {
      // Too many positions to download; a handful of candidates (identifiers, rare phrases
      // built from common bigrams) is checked against the doc store text instead.
      if (docs.length > VERIFY_DOCS) return { docs: docs, title: title, exact: false, completable: completable };
      var table = this.foldTable, rows = await this.rows(Array.from(docs));
      var inTitle = rows.filter(function (r) { return foldWithMap(r.title, table).text.indexOf(term) >= 0; });
      var titled = new Set(inTitle);
      var ok = Uint32Array.from(rows.filter(function (r) {
        return titled.has(r) || foldWithMap(r.text, table).text.indexOf(term) >= 0;
      }).map(function (r) { return r.id; }));
      // The rows are at hand, so the title tier is exact here (rows come in id order).
      return { docs: ok, title: Uint32Array.from(inTitle.map(function (r) { return r.id; })), exact: true };
    }
    // Exact phrase check: a start s such that the cover's k-th bigram occurs at s + offsets[k].
    var maps = posts.map(function (p) { return positionsOf(p[2], p[0]); });
    var found = docs.filter(function (d) {
      var slots = maps.map(function (p) { return slotOf(p, d); });
      if (slots.indexOf(-1) >= 0) return false;
      var a = maps[0];
      for (var i = a.start[slots[0]]; i < a.start[slots[0] + 1]; i++) {
        var s = a.pos[i], ok = true;
        for (var k = 1; k < maps.length && ok; k++) ok = hasPos(maps[k], slots[k], s + offsets[k]);
        if (ok) return true;
      }
      return false;
    });
    return { docs: found, title: intersect(title, found), exact: true };
  };

  // An id-table entry (builder._id_tables): "k" + key → the docs with that identifier; "c" + a
  // folded identifier as written → the docs containing it, found at build time.  {docs, title} or null.
  Engine.prototype.idEntry = async function (key, entryKey) {
    if (Array.from(key).length < 4) return null;
    var shard = (fnv1a(key) & (this.meta.idShards - 1)).toString(16);
    var t = await this.table("id/" + shard + ".bin"), e = t.entries.get(entryKey);
    if (!e) return null;
    var off = t.payload, f = e.f, n = this.meta.docs;
    for (var i = 0; i < e.index; i++) off += t.list[i].f[2] + t.list[i].f[5];
    return {
      docs: decodePosting(t.bytes.subarray(off, off + f[2]), f[1], n),
      title: decodePosting(t.bytes.subarray(off + f[2], off + f[2] + f[5]), f[4], n),
    };
  };
  Engine.prototype.identifier = async function (key) {
    var e = await this.idEntry(key, "k" + key);
    return e ? e.docs : EMPTY;
  };
  // A folded term the id tables may answer whole (identifiers.could_be_identifier).
  function couldBeIdentifier(term) { return Array.from(term).length >= 6 && /[0-9]/.test(term); }

  Engine.prototype.facetTable = function (facet) { return this.table(facet.file); };
  Engine.prototype.facetDocs = async function (facet, value) {
    var t = await this.facetTable(facet), e = t.entries.get(value);
    if (!e) return EMPTY;
    var off = t.payload;
    for (var i = 0; i < e.index; i++) off += t.list[i].f[2];
    return decodePosting(t.bytes.subarray(off, off + e.f[2]), e.f[1], this.meta.docs);
  };
  Engine.prototype.filterSet = async function (filters) {
    var set = null;
    for (var facet of this.meta.facets) {
      var values = [].concat((filters || {})[facet.key] || []).filter(Boolean);
      if (!values.length) continue;
      var any = EMPTY;
      for (var v of values) any = union(any, await this.facetDocs(facet, String(v)));
      set = set ? intersect(set, any) : any;
    }
    return set;
  };

  // Every doc but the placeholders (docs that keep a withdrawn record's place): blank.json lists
  // them, read only here, when meta.blank says there are any.
  Engine.prototype.everyDoc = async function () {
    var blank = this.meta.blank ? await this.json("blank.json") : [];
    var n = this.meta.docs, out = new Uint32Array(n), k = 0, b = 0;
    for (var i = 0; i < n; i++) {
      while (b < blank.length && blank[b] < i) b++;  // (a list out of step with meta: skip ahead)
      if (blank[b] !== i) out[k++] = i;
    }
    return out.subarray(0, k);
  };

  // Doc ids follow date, oldest first, after the undated docs (builder._order): newest first is
  // the dated ids from the last one down, then the undated ones (as the listings put them last).
  Engine.prototype.newestFirst = function (set) {
    var undated = this.meta.docs - this.meta.dated, out = new Array(set.length), k = 0, i, j;
    for (i = set.length - 1; i >= 0 && set[i] >= undated; i--) out[k++] = set[i];
    for (j = 0; j <= i; j++) out[k++] = set[j];
    return out;
  };
  Engine.prototype.order = async function (set, sort, ident, title) {
    var meta = this.meta, ids = this.newestFirst(set), i;
    if (sort === "date") return ids;
    if (sort === "date-asc") {
      var undated = meta.docs - meta.dated, dated = Array.from(set.filter(function (d) { return d >= undated; }));
      return dated.concat(Array.from(set.filter(function (d) { return d < undated; })));
    }
    var m = /^(.+?)(-asc)?$/.exec(sort || ""), key = m && meta.sorts.find(function (s) { return s.key === m[1]; });
    if (key) {
      var buf = await this.bin(key.file);
      var col = key.width === 1 ? new Uint8Array(buf) : key.width === 2 ? new Uint16Array(buf) : new Uint32Array(buf);
      var asc = !!m[2];
      return ids.sort(function (a, b) {  // stable: equal values stay newest first
        var ra = col[a], rb = col[b];
        if (ra === rb) return 0;
        if (!ra) return 1;
        if (!rb) return -1;
        return asc ? ra - rb : rb - ra;
      });
    }
    // Relevance: exact identifier, then title match, then the rest; newest first within each tier.
    var tier = new Uint8Array(meta.docs), tiers = [[], [], []];
    for (i = 0; i < title.length; i++) tier[title[i]] = 1;
    for (i = 0; i < ident.length; i++) tier[ident[i]] = 2;
    for (i = 0; i < ids.length; i++) tiers[2 - tier[ids[i]]].push(ids[i]);
    return tiers[0].concat(tiers[1], tiers[2]);
  };

  Engine.prototype.rows = async function (ids) {
    var starts = this.chunkStarts, self = this;
    function chunkOf(d) { var lo = 0, hi = starts.length - 1; while (hi - lo > 1) { var m = (lo + hi) >> 1; if (starts[m] <= d) lo = m; else hi = m; } return lo; }
    return Promise.all(ids.map(async function (d) {
      var c = chunkOf(d), rows = await self.json("d/" + starts[c] + ".json"), r = rows[d - starts[c]];  // a chunk is named after its first doc
      return { id: d, url: r[0], title: r[1], kind: r[2], date: r[3], text: r[4], fields: r[5] };
    }));
  };

  function highlight(text, folded, terms, from, to) {
    // Split text[from, to) into parts with hit=true where a folded term occurs.
    var marks = [];
    terms.forEach(function (t) {
      for (var i = folded.text.indexOf(t); i >= 0; i = folded.text.indexOf(t, i + 1)) marks.push([folded.map[i], folded.map[i + t.length]]);
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var parts = [], cur = from;
    marks.forEach(function (mk) {
      var s = Math.max(mk[0], cur), e = Math.min(mk[1], to);
      if (e <= s) return;
      if (s > cur) parts.push({ text: text.slice(cur, s), hit: false });
      parts.push({ text: text.slice(s, e), hit: true });
      cur = e;
    });
    if (cur < to) parts.push({ text: text.slice(cur, to), hit: false });
    return parts;
  }

  Engine.prototype.hit = function (row, terms) {
    var ft = foldWithMap(row.title, this.foldTable), fx = foldWithMap(row.text, this.foldTable);
    var matched = terms.every(function (t) { return ft.text.indexOf(t) >= 0 || fx.text.indexOf(t) >= 0; });
    var at = -1;
    terms.forEach(function (t) { var i = fx.text.indexOf(t); if (i >= 0 && (at < 0 || i < at)) at = i; });
    var start = at < 0 ? 0 : Math.max(0, fx.map[at] - 40), end = Math.min(row.text.length, start + 140);
    var snippet = highlight(row.text, fx, terms, start, end);
    if (start > 0) snippet.unshift({ text: "…", hit: false });
    if (end < row.text.length) snippet.push({ text: "…", hit: false });
    return {
      url: row.url, title: row.title, kind: row.kind, date: row.date, fields: row.fields,
      titleParts: highlight(row.title, ft, terms, 0, row.title.length),
      snippetParts: snippet, matched: matched,
    };
  };

  // query({q, filters: {facetKey: [values]}, sort: relevance|date|date-asc|<sortKey>[-asc], page (1-based), pageSize,
  //        complete}).  complete: check phrases against positions up to meta.exactBudget instead of
  //        meta.positionBudget (res.completable said that this would make an estimated total exact).
  Engine.prototype.query = async function (opts) {
    await this.ready;
    opts = opts || {};
    var q = opts.q || "", terms = this.terms(q), pageSize = opts.pageSize || 10, page = Math.max(1, opts.page || 1);
    var sort = opts.sort || (terms.length ? "relevance" : "date");
    var set = null, title = null, exact = true, completable = true, self = this;
    var budget = opts.complete ? Math.max(this.meta.exactBudget || 0, this.meta.positionBudget) : this.meta.positionBudget;
    // Every identifier holds a digit on most sites (meta.idDigits): then a query without one skips the id table.
    var identP = terms.length && (!this.meta.idDigits || /[0-9]/.test(this.fold(q)))
      ? this.identifier(this.identifierKey(q)) : Promise.resolve(EMPTY);
    var filterP = this.filterSet(opts.filters);
    var results = await Promise.all(terms.map(function (t) { return self.term(t, budget); }));
    results.forEach(function (r) {
      set = set ? intersect(set, r.docs) : r.docs;
      title = title ? intersect(title, r.title) : r.title;
      exact = exact && r.exact;
      completable = completable && (r.exact || r.completable);
    });
    var ident = await identP;
    if (terms.length) set = union(set, ident);
    // Words made only of what folding drops (punctuation, control characters) match nothing, with
    // filters or without; only a query with no words at all lists every (filtered) document.
    if (!terms.length && q.trim()) set = EMPTY;
    var filter = await filterP;
    if (filter) { set = set ? intersect(set, filter) : filter; ident = intersect(ident, filter); }
    if (!set) set = await this.everyDoc();
    var ordered = await this.order(set, sort, ident, title || EMPTY);
    var identSet = new Set(ident);
    var from = (page - 1) * pageSize;
    function toHit(r) { var h = self.hit(r, terms); h.identifier = identSet.has(r.id); return h; }
    var hits, total = ordered.length, more = false, checked = ordered.length;
    if (exact) {
      if (total && from >= total) {  // past the last page (an old link, a typed page=): show the last one
        page = Math.ceil(total / pageSize);
        from = (page - 1) * pageSize;
      }
      hits = (await this.rows(ordered.slice(from, from + pageSize))).map(toHit);
    } else {
      // Candidates were not checked phrase by phrase (too many positions to download): their text
      // is checked in order, batch by batch, until this page is full of real matches; the total
      // is the candidate count scaled by the share of checked candidates that matched.
      // The check stops after CHECK_PER_PAGE candidates per page asked for, so a rare phrase made
      // of very common bigrams cannot make the browser download the whole doc store.
      var matches = [], batch = Math.max(2 * pageSize, 20);
      var limit = Math.min(ordered.length, CHECK_PER_PAGE * (page + 1));
      checked = 0;
      while (matches.length < from + pageSize && checked < limit) {
        var rows = await this.rows(ordered.slice(checked, Math.min(checked + batch, limit)));
        rows.map(toHit).forEach(function (h) { if (h.matched || h.identifier) matches.push(h); });
        checked += rows.length;
      }
      exact = checked >= ordered.length;
      total = exact ? matches.length : Math.max(matches.length, Math.round(ordered.length * matches.length / checked));
      if (matches.length && from >= matches.length) {  // past the last real match: show the last page
        page = Math.ceil(matches.length / pageSize);
        from = (page - 1) * pageSize;
      }
      hits = matches.slice(from, from + pageSize);
      more = !exact;
    }
    return { total: total, exact: exact, completable: !exact && completable, more: more, checked: checked, candidates: ordered.length, hits: hits, page: page, pageSize: pageSize, sort: sort, terms: terms, ids: ordered };
  };

  // Counts per facet value within a result set (ids from a query result).
  Engine.prototype.facetCounts = async function (ids) {
    await this.ready;
    var set = Uint32Array.from(ids).sort(), out = {}, self = this;
    await Promise.all(this.meta.facets.map(async function (facet) {
      out[facet.key] = {};
      for (var v of facet.values) out[facet.key][v[0]] = intersect(set, await self.facetDocs(facet, v[0])).length;
    }));
    return out;
  };

  var engines = new Map();
  function open(indexUrl) {
    var key = new URL(indexUrl, document.baseURI).href;
    if (!engines.has(key)) engines.set(key, new Engine(indexUrl));
    return engines.get(key);
  }

  // ---------- the /search/ page ----------
  var SORT_LABELS = { relevance: "相关度", date: "日期（新→旧）", "date-asc": "日期（旧→新）" };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });  // strings become text nodes
    return node;
  }
  // 2024-03-05 → 2024年3月5日, as the listings and record pages write a date (display.cn_date).
  function cnDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
    return m ? m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : iso;
  }
  function parts(list) {
    return list.map(function (p) { return p.hit ? el("mark", {}, [p.text]) : document.createTextNode(p.text); });
  }

  function readState(facets) {
    var params = new URLSearchParams(location.search), filters = {};
    facets.forEach(function (f) { var v = params.getAll(f.key).filter(Boolean); if (v.length) filters[f.key] = v; });
    return { q: params.get("q") || "", sort: params.get("sort") || "", page: Math.max(1, parseInt(params.get("page"), 10) || 1), filters: filters };
  }
  function stateUrl(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    Object.keys(state.filters).sort().forEach(function (k) { state.filters[k].forEach(function (v) { params.append(k, v); }); });
    if (state.sort) params.set("sort", state.sort);
    if (state.page > 1) params.set("page", String(state.page));
    var s = params.toString();
    return location.pathname + (s ? "?" + s : "");
  }

  function initPage(root) {
    var engine = open(root.getAttribute("data-index-url"));
    var siteRoot = new URL(root.getAttribute("data-site-root") || "./", document.baseURI);
    var form = root.querySelector("[data-search-form]"), input = form.querySelector("input[name=q]");
    var sortSelect = form.querySelector("select[name=sort]"), facetBox = root.querySelector("[data-search-facets]");
    var status = root.querySelector("[data-search-status]"), list = root.querySelector("[data-search-results]");
    var notice = root.querySelector("[data-search-notice]");
    var pager = root.querySelector("[data-search-pager]");
    var seq = 0, state, composing = false;
    // The sort a visitor chose (or the URL named) stays; otherwise each query gets its default
    // (relevance with words, newest first without).  A typing session is one history entry.
    var sortChosen = false, typing = false;

    function buildControls(meta) {
      facetBox.textContent = "";
      meta.facets.forEach(function (f) {
        var box = el("fieldset", { "class": "gk-facet", "data-facet": f.key }, [el("legend", {}, [f.label])]);
        f.values.forEach(function (v) {
          var cb = el("input", { type: "checkbox", name: f.key, value: v[0] });
          box.append(el("label", {}, [cb, " " + v[2] + " ", el("span", { "class": "gk-count", "data-count-for": v[0] }, ["(" + v[1] + ")"])]));
        });
        facetBox.append(box);
      });
      meta.sorts.forEach(function (s) {
        var label = s.key === "amount" ? "金额" : s.key;
        sortSelect.append(el("option", { value: s.key }, [label + "（高→低）"]), el("option", { value: s.key + "-asc" }, [label + "（低→高）"]));
      });
    }
    // A filter value or sort the index does not have (?level=x): said once and left out of the URL,
    // so that the URL, the checkboxes and the results agree (as on the listings).
    function dropUnknown(meta) {
      var dropped = [];
      meta.facets.forEach(function (f) {
        if (!state.filters[f.key]) return;
        var known = f.values.map(function (v) { return v[0]; });
        state.filters[f.key] = state.filters[f.key].filter(function (v) {
          if (known.indexOf(v) >= 0) return true;
          dropped.push("没有" + f.label + "为“" + v + "”的内容");
          return false;
        });
        if (!state.filters[f.key].length) delete state.filters[f.key];
      });
      if (state.sort && !Array.prototype.some.call(sortSelect.options, function (o) { return o.value === state.sort; })) {
        dropped.push("没有“" + state.sort + "”这种排序方式");
        state.sort = "";
      }
      if (notice) { notice.hidden = !dropped.length; notice.textContent = dropped.length ? dropped.join("；") + "，已忽略该条件。" : ""; }
      if (dropped.length) history.replaceState(null, "", stateUrl(state));
    }
    function syncControls() {
      // The filters stand open on wide screens and whenever one is in use; on a phone they are
      // folded so the results come first.
      var facetDetails = root.querySelector("[data-search-facet-box]");
      if (facetDetails && (window.matchMedia("(min-width: 45em)").matches || Object.keys(state.filters).length)) facetDetails.open = true;
      input.value = state.q;
      sortSelect.value = state.sort || (state.q ? "relevance" : "date");
      sortChosen = Boolean(state.sort);
      facetBox.querySelectorAll("input[type=checkbox]").forEach(function (cb) {
        cb.checked = (state.filters[cb.name] || []).indexOf(cb.value) >= 0;
      });
    }
    function readControls() {
      var filters = {};
      facetBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (cb) { (filters[cb.name] = filters[cb.name] || []).push(cb.value); });
      var sort = sortChosen ? sortSelect.value : "";
      if (sort === (input.value.trim() ? "relevance" : "date")) sort = "";
      return { q: input.value, sort: sort, page: 1, filters: filters };
    }

    function renderEmpty(q) {
      var tips = el("ul", { "class": "gk-tips" }, [
        el("li", {}, ["减少关键词，或只输入其中最有区别的几个字。"]),
        el("li", {}, ["查文书号或统一社会信用代码时，请核对数字；括号、空格、全角半角不影响查找。"]),
        el("li", {}, ["繁体与简体会自动互相匹配，无需转换。"]),
        el("li", {}, ["取消部分筛选条件。"]),
      ]);
      list.append(el("li", { "class": "gk-empty" }, [el("p", {}, ["没有找到与“" + q + "”相关的结果。建议："]), tips]));
    }
    function renderHit(hit, meta) {
      var a = el("a", { "data-search-result": "", href: new URL(hit.url, siteRoot).href }, parts(hit.titleParts));
      var info = el("p", { "class": "gk-hit-meta" }, [el("span", { "class": "gk-kind" }, [meta.kinds[hit.kind] || hit.kind])]);
      // An enterprise's doc is dated by its oldest record, for its place in id order only.
      if (hit.date && hit.kind !== "enterprise") info.append(" · ", el("time", { datetime: hit.date }, [cnDate(hit.date)]));
      Object.keys(hit.fields || {}).slice(0, 3).forEach(function (k) { info.append(" · " + k + "：" + hit.fields[k]); });
      return el("li", { "class": "gk-hit" }, [el("h3", {}, [a]), info, el("p", { "class": "gk-snippet" }, parts(hit.snippetParts))]);
    }
    function renderPager(res) {
      pager.textContent = "";
      // An estimated total may be off: while unchecked candidates remain there is always a next page.
      var pages = Math.max(Math.ceil(res.total / res.pageSize), res.more ? res.page + 1 : 0);
      if (pages <= 1) return;
      function link(page, text) {
        var a = el("a", { href: stateUrl(Object.assign({}, state, { page: page })), "data-page": String(page) }, [text]);
        a.addEventListener("click", function (ev) {
          ev.preventDefault();
          go(Object.assign({}, state, { page: page }), true).then(function () { status.focus(); status.scrollIntoView(); });
        });
        return a;
      }
      if (res.page > 1) pager.append(link(res.page - 1, "上一页"), " ");
      pager.append(el("span", {}, ["第 " + res.page + " / " + (res.exact ? "" : "约 ") + pages + " 页"]));
      if (res.page < pages) pager.append(" ", link(res.page + 1, "下一页"));
    }

    async function run() {
      var mine = ++seq, hasFilters = Object.keys(state.filters).length > 0;
      list.textContent = ""; pager.textContent = "";
      if (!state.q.trim() && !hasFilters) { status.textContent = "请输入关键词，或选择筛选条件。"; return; }
      status.textContent = "正在搜索…";
      // Past the first page the visitor has already waited for an exact count: straight to it.
      var asked = { q: state.q, filters: state.filters, sort: state.sort, page: state.page, pageSize: 10, complete: state.page > 1 }, res;
      try {
        res = await engine.query(asked);
        if (mine !== seq) return;  // a newer keystroke has started another search
        if (!res.completable) return render(res, mine, false);
        // On the largest sites a phrase of very common bigrams is first answered from checked
        // candidates, with an estimated total; its positions (more than a first page may cost) then
        // make the count exact. [data-search-total] appears only with the final count.
        render(res, mine, true);
        res = await engine.query(Object.assign({}, asked, { complete: true }));
        if (mine === seq) render(res, mine, false);
      } catch (err) {
        if (mine === seq) status.textContent = "搜索出错，请稍后重试。";
        throw err;
      }
    }
    function render(res, mine, counting) {
      list.textContent = ""; pager.textContent = "";
      // A page past the end was shown as the last one: the URL says so.  (Not while candidates are
      // still being checked: there the page number is also how far the check has gone.)
      if (res.exact && res.page !== state.page) {
        state = Object.assign({}, state, { page: res.page });
        history.replaceState(null, "", stateUrl(state));
      }
      var meta = engine.meta;
      status.textContent = "";
      if (counting) status.append("找到约 ", el("strong", { "data-search-estimate": "" }, [String(res.total)]), " 条结果，正在精确统计…");
      else status.append(res.exact ? "找到 " : "找到约 ", el("strong", { "data-search-total": "", "data-search-exact": String(res.exact) }, [String(res.total)]), " 条结果");
      if (!res.hits.length && res.more) {
        // Nothing confirmed among the candidates checked so far: say so, and offer to look further.
        var further = el("a", { href: stateUrl(Object.assign({}, state, { page: res.page + 1 })), "data-page": String(res.page + 1) }, ["继续查找"]);
        further.addEventListener("click", function (ev) { ev.preventDefault(); go(Object.assign({}, state, { page: res.page + 1 }), true); });
        list.append(el("li", { "class": "gk-search-empty" }, [
          "已检查 " + res.checked + " / " + res.candidates + " 条可能匹配的记录，尚未找到完全匹配的结果。", further,
        ]));
      } else if (!res.hits.length && res.total === 0) renderEmpty(state.q.trim());
      res.hits.forEach(function (h) { list.append(renderHit(h, meta)); });
      renderPager(res);
      if (meta.facetCounts && !counting) {
        engine.facetCounts(res.ids).then(function (counts) {
          if (mine !== seq) return;
          facetBox.querySelectorAll("[data-facet]").forEach(function (box) {
            var c = counts[box.getAttribute("data-facet")] || {};
            var shown = 0;
            // Values of one facet are alternatives (OR): once one is ticked, the others' counts are
            // those of results already narrowed by it, so none of them is hidden for a count of 0.
            var inUse = Boolean(box.querySelector("input:checked"));
            box.querySelectorAll("[data-count-for]").forEach(function (span) {
              var n = c[span.getAttribute("data-count-for")] || 0, label = span.parentNode;
              span.textContent = "(" + n + ")";
              // A value no result has is no choice at all: hidden, unless its facet is in use.
              label.hidden = n === 0 && !inUse;
              if (!label.hidden) shown++;
            });
            box.hidden = shown === 0;
          });
        });
      }
    }
    function go(next, push) {
      state = next;
      var url = stateUrl(state);
      if (push) typing = false;  // any other step (submit, a filter, a page) ends a typing session
      history[push && url !== location.pathname + location.search ? "pushState" : "replaceState"](null, "", url);
      syncControls();
      return run();
    }

    // Listen at once: a visitor may type before the index metadata has arrived.
    input.addEventListener("compositionstart", function () { composing = true; });
    var lastKey = 0;
    function typed() {
      // The first keystroke of a new query keeps the previous search in the history; a pause of a
      // few seconds, or leaving the box, ends a query (its next edit is another search).
      var now = Date.now(), first = !typing || now - lastKey > TYPING_PAUSE_MS;
      lastKey = now;
      go(readControls(), first);
      typing = true;
    }
    input.addEventListener("blur", function () { typing = false; });
    input.addEventListener("compositionend", function () { composing = false; typed(); });
    input.addEventListener("input", function () { if (!composing) typed(); });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); go(readControls(), true); });
    form.addEventListener("change", function (ev) {
      if (ev.target === input) return;
      if (ev.target === sortSelect) sortChosen = true;
      go(readControls(), true);
    });
    engine.ready.then(function (e) {
      buildControls(e.meta);
      var typed = state ? state.q : null;
      state = readState(e.meta.facets);
      if (typed !== null) state.q = typed;
      dropUnknown(e.meta);
      syncControls();
      run();
      window.addEventListener("popstate", function () { typing = false; state = readState(e.meta.facets); dropUnknown(e.meta); syncControls(); run(); });
    }, function (err) { status.textContent = "搜索索引加载失败。"; throw err; });
  }

  function initAll() { document.querySelectorAll("[data-gongkai-search]").forEach(initPage); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initAll);
  else initAll();

  window.GongkaiSearch = {
    open: open,
    query: function (opts) {
      var root = document.querySelector("[data-index-url]");
      return open((opts && opts.indexUrl) || root.getAttribute("data-index-url")).query(opts);
    },
    _internal: { decodePosting: decodePosting, intersect: intersect, union: union, foldWithMap: foldWithMap, fnv1a: fnv1a, cover: cover },
  };
})();
