/* Gongkai listing filter: progressive enhancement of the static, paginated tables.
 * Without URL parameters nothing happens (the static page is already right). With filter or sort
 * parameters it loads data/index.json and only the shards it needs (one per year), then redraws
 * the table, its caption and the pager. A value the listing does not have (?year=1999) is dropped
 * from the URL with a notice, so the URL, the form and the table always agree. All data comes from
 * this site; nothing else is fetched. */
(function () {
  "use strict";
  var table = document.querySelector("table[data-gk-listing]");
  if (!table || !table.getAttribute("data-gk-listing") || !window.fetch) { return; }
  if (!window.location.search) { return; }  // unfiltered: the static page is already right
  var params = new URLSearchParams(window.location.search);
  var src = new URL(table.getAttribute("data-gk-listing"), window.location.href);
  var root = new URL(table.getAttribute("data-gk-root"), window.location.href);
  var total = document.getElementById("gk-total");
  var pager = document.getElementById("gk-pager");
  var notice = document.getElementById("gk-filter-notice");
  var caption = table.caption;

  // Unknown filter values and sorts: said once, then left out (as if the link had not named them).
  function dropUnknown(index) {
    var dropped = [];
    index.filters.forEach(function (f) {
      var value = params.get(f.param);
      if (value && f.options.indexOf(value) < 0) {
        dropped.push("没有" + f.label + "为“" + value + "”的公示记录，已显示全部" + f.label);
        params.delete(f.param);
      } else if (params.has(f.param) && !value) {
        params.delete(f.param);
      }
    });
    var sort = params.get("sort");
    if (sort && !index.sorts.some(function (s) { return s.value === sort; })) {
      dropped.push("没有“" + sort + "”这种排序方式，已" + index.sorts[0].phrase);
      params.delete("sort");
    }
    if (!dropped.length) { return; }
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    if (notice) {
      notice.textContent = dropped.join("；") + "。";
      notice.hidden = false;
    }
  }

  function describe(index) {
    var parts = index.filters.filter(function (f) { return params.get(f.param); }).map(function (f) {
      return f.label + "：" + params.get(f.param);
    });
    var sort = index.sorts.filter(function (s) { return s.value === params.get("sort"); })[0] || index.sorts[0];
    if (sort) { parts.push(sort.phrase); }
    return index.subject + (parts.length ? "（" + parts.join("；") + "）" : "");
  }

  function active(index) {
    return index.filters.some(function (f) { return params.get(f.param); }) || params.get("sort") || params.get("p");
  }

  function restoreForm(index) {
    index.filters.forEach(function (f) {
      var el = document.getElementById("gk-filter-" + f.param);
      if (el && params.get(f.param)) { el.value = params.get(f.param); }
    });
    var sort = document.getElementById("gk-sort");
    if (sort && params.get("sort")) { sort.value = params.get("sort"); }
  }

  function shardsFor(index) {
    var year = params.get("year");
    var named = index.shards.filter(function (s) { return s.name === year; });
    return year && named.length ? named : index.shards;
  }

  function load(index) {
    return Promise.all(shardsFor(index).map(function (s) {
      return fetch(new URL(s.file, src)).then(function (r) {
        if (!r.ok) { throw new Error(r.status); }
        return r.json();
      });
    })).then(function (parts) {
      return parts.reduce(function (all, part) { return all.concat(part.rows); }, []);
    });
  }

  function select(index, rows) {
    var n = index.columns.length;
    index.filters.forEach(function (f, i) {
      var value = params.get(f.param);
      if (!value) { return; }
      var code = f.options.indexOf(value);
      var at = 1 + n + i;
      rows = rows.filter(function (row) {
        var v = row[at];
        return Array.isArray(v) ? v.indexOf(code) >= 0 : v === code;
      });
    });
    var sort = index.sorts.filter(function (s) { return s.value === params.get("sort"); })[0];
    if (sort) {
      var key = 1 + n + index.filters.length + sort.key;
      var sign = sort.descending ? -1 : 1;
      rows = rows.map(function (row, i) { return [row, i]; }).sort(function (a, b) {
        var x = a[0][key], y = b[0][key];
        if ((x === null) !== (y === null)) { return x === null ? 1 : -1; }  // no value: last either way
        return (x === null ? 0 : (x - y) * sign) || a[1] - b[1];
      }).map(function (pair) { return pair[0]; });
    }
    return rows;
  }

  // value: the text, or [text, spoken] for a mark a screen reader says in words (— → 无罚款).
  function cell(value, className, label) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    td.setAttribute("data-label", label);  // shown before the value where rows become cards (phones)
    if (Array.isArray(value)) {
      var shown = document.createElement("span"), spoken = document.createElement("span");
      shown.setAttribute("aria-hidden", "true");
      shown.textContent = value[0];
      spoken.className = "gk-visually-hidden";
      spoken.textContent = value[1];
      td.appendChild(shown);
      td.appendChild(spoken);
    } else {
      td.textContent = value;
    }
    return td;
  }

  function pageHref(number) {
    var next = new URLSearchParams(params);
    next.set("p", String(number));
    return "?" + next.toString();
  }

  function draw(index, rows) {
    var per = index.perPage;
    var pages = Math.max(1, Math.ceil(rows.length / per));
    var page = Math.min(Math.max(1, parseInt(params.get("p") || "1", 10) || 1), pages);
    var body = document.createElement("tbody");
    rows.slice((page - 1) * per, page * per).forEach(function (row) {
      var tr = document.createElement("tr");
      index.columns.forEach(function (_, c) {
        var className = index.numeric.indexOf(c) >= 0 ? "gk-num" : index.nowrap.indexOf(c) >= 0 ? "gk-nowrap" : "";
        var td = cell(row[1 + c], className, index.columns[c]);
        if (c === index.linkColumn) {
          var a = document.createElement("a");
          a.href = new URL(row[0], root).href;
          a.textContent = row[1 + c];
          td.textContent = "";
          td.appendChild(a);
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    if (!rows.length) {
      var empty = document.createElement("tr"), td = document.createElement("td");
      td.colSpan = index.columns.length;
      td.className = "gk-empty";
      td.textContent = "没有符合条件的记录。可以减少筛选条件，或点“清除条件”查看全部。";
      empty.appendChild(td);
      body.appendChild(empty);
    }
    table.replaceChild(body, table.tBodies[0]);
    if (caption) { caption.textContent = describe(index); }
    total.textContent = "筛选结果：共 " + rows.length.toLocaleString("zh-CN") + " 条，第 " + page + " / " + pages + " 页";
    pager.textContent = "";
    if (!rows.length) { offerDownload(rows); return; }
    var numbers = [1, page - 2, page - 1, page, page + 1, page + 2, pages].filter(function (n, i, all) {
      return n >= 1 && n <= pages && all.indexOf(n) === i;
    }).sort(function (a, b) { return a - b; });
    if (page > 1) { pager.appendChild(link("上一页", page - 1)); }
    numbers.forEach(function (n, i) {
      if (i && n > numbers[i - 1] + 1) {  // a gap in the numbers, as the static pager shows it
        var gap = document.createElement("span");
        gap.className = "gk-gap";
        gap.setAttribute("aria-hidden", "true");
        gap.textContent = "…";
        pager.appendChild(gap);
      }
      if (n === page) {
        var span = document.createElement("span");
        span.setAttribute("aria-current", "page");
        span.textContent = String(n);
        pager.appendChild(span);
      } else {
        pager.appendChild(link(String(n), n));
      }
    });
    if (page < pages) { pager.appendChild(link("下一页", page + 1)); }
    offerDownload(rows);
  }

  // "Download this filtered view": the first column of these listings is the record's key; the
  // CSV itself comes from the site's own /data/KIND.json (filtered-download.js, same format).
  function offerDownload(rows) {
    var button = document.getElementById("gk-filtered-download");
    var kind = table.getAttribute("data-gk-kind");
    if (!button || !kind || !window.GongkaiDownload) { return; }
    var json = new URL(table.getAttribute("data-gk-json"), window.location.href).href;
    button.hidden = rows.length === 0;
    button.textContent = "下载当前筛选结果（" + rows.length.toLocaleString("zh-CN") + " 条，CSV）";
    button.onclick = function () {
      window.GongkaiDownload.downloadKeys(kind, rows.map(function (row) { return row[1]; }), json);
    };
  }

  function link(label, number) {
    var a = document.createElement("a");
    a.href = pageHref(number);
    a.textContent = label;
    return a;
  }

  fetch(src).then(function (r) {
    if (!r.ok) { throw new Error(r.status); }
    return r.json();
  }).then(function (index) {
    dropUnknown(index);
    restoreForm(index);
    if (!active(index)) { return null; }
    total.textContent = "正在筛选…";
    return load(index).then(function (rows) { draw(index, select(index, rows)); });
  }).catch(function () {
    total.textContent = "筛选数据加载失败，下表为未筛选的列表。";
  });
})();
