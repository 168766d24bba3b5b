/* Gongkai: "download this filtered view" (下载当前筛选结果) as CSV, without any library.
 *
 * The same CSV as /data/KIND.csv: import headers in order, UTF-8 with BOM, CRLF, "；" between
 * several values, and the spreadsheet formula guard (a cell starting with = + - @ TAB or CR gets one
 * leading '), so a filtered download imports back with `gongkai import` like the full one.
 *
 * API (window.GongkaiDownload):
 *   toCsv(kind, rows)                     rows: objects keyed by the Chinese headers → CSV text
 *   download(kind, rows, filename)        builds the Blob and saves it
 *   downloadKeys(kind, keys, jsonUrl, filename)
 *                                         fetches the site's own /data/KIND.json, keeps the records
 *                                         whose key is in `keys` (in that order), saves the CSV
 * Declarative use: <button type="button" data-filtered-download="penalties"
 *   data-json="../data/penalties.json" data-rows="#listing tbody tr"> — on click, the keys are read
 *   from the data-key attribute of the matching rows that are not hidden.
 */
(function () {
  "use strict";
  var HEADERS = __HEADERS__;
  var KEYS = __KEYS__;
  var GUARD = /^[=+\-@\t\r]/;

  function cellText(value) {
    if (value === null || value === undefined) return "";
    if (Array.isArray(value)) return value.join("；");
    return String(value);
  }

  function quote(text) {
    if (GUARD.test(text)) text = "'" + text;
    if (/[",\r\n]/.test(text)) return '"' + text.replace(/"/g, '""') + '"';
    return text;
  }

  function toCsv(kind, rows) {
    var headers = HEADERS[kind];
    if (!headers) throw new Error("unknown kind: " + kind);
    var lines = [headers.map(quote).join(",")];
    rows.forEach(function (row) {
      lines.push(headers.map(function (h) { return quote(cellText(row[h])); }).join(","));
    });
    return "\ufeff" + lines.join("\r\n") + "\r\n";
  }

  function download(kind, rows, filename) {
    var blob = new Blob([toCsv(kind, rows)], { type: "text/csv;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = filename || kind + "-filtered.csv";
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 0);
  }

  function downloadKeys(kind, keys, jsonUrl, filename) {
    return fetch(jsonUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (records) {
        var byKey = {};
        records.forEach(function (r) { byKey[r[KEYS[kind]]] = r; });
        var rows = keys.filter(function (k) { return byKey[k]; }).map(function (k) { return byKey[k]; });
        download(kind, rows, filename);
        return rows.length;
      });
  }

  function visible(el) {
    return !el.hidden && el.getClientRects().length > 0;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-filtered-download]");
    if (!button) return;
    var kind = button.getAttribute("data-filtered-download");
    var rows = Array.prototype.slice.call(document.querySelectorAll(button.getAttribute("data-rows") || "[data-key]"));
    var keys = rows.filter(visible).map(function (r) { return r.getAttribute("data-key"); });
    downloadKeys(kind, keys, button.getAttribute("data-json"), button.getAttribute("data-filename"));
  });

  window.GongkaiDownload = { toCsv: toCsv, download: download, downloadKeys: downloadKeys };
})();
