/* Gongkai listing filter: progressive enhancement of the static, paginated tables.
 * Without URL parameters nothing happens (the static page is already right). With filter or sort
 * parameters it loads data/index.json and only the shards it needs (one per year), then redraws
 * the table and the pager. All data comes from this site; nothing else is fetched. */
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
        return (a[0][key] - b[0][key]) * sign || a[1] - b[1];
      }).map(function (pair) { return pair[0]; });
    }
    return rows;
  }

  function cell(text, numeric, label) {
    var td = document.createElement("td");
    if (numeric) { td.className = "gk-num"; }
    td.setAttribute("data-label", label);  // shown before the value where rows become cards (phones)
    td.textContent = text;
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
        var td = cell(row[1 + c], index.numeric.indexOf(c) >= 0, index.columns[c]);
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
    restoreForm(index);
    if (!active(index)) { return null; }
    total.textContent = "正在筛选…";
    return load(index).then(function (rows) { draw(index, select(index, rows)); });
  }).catch(function () {
    total.textContent = "筛选数据加载失败，下表为未筛选的列表。";
  });
})();
