// Minimal static file server for the search benchmark (bench only): 127.0.0.1, random port,
// keep-alive, no compression (the benchmark counts gzip sizes itself). Prints the port.
"use strict";
const http = require("http"), fs = require("fs"), path = require("path");
const root = path.resolve(process.argv[2]);
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json" };
const server = http.createServer((req, res) => {
  let p = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!p.startsWith(root)) { res.writeHead(403).end(); return; }
  fs.stat(p, (err, st) => {
    if (!err && st.isDirectory()) p = path.join(p, "index.html");
    fs.readFile(p, (err2, data) => {
      if (err2) { res.writeHead(404).end(); return; }
      res.writeHead(200, { "Content-Type": types[path.extname(p)] || "application/octet-stream", "Content-Length": data.length });
      res.end(data);
    });
  });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
