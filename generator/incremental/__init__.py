"""Building again without redoing what has not changed (issue 8).

- `store`: the build cache on disk — checksummed blobs tagged with the key they are valid for.
- `keys`: what cached results depend on besides the records (code version, input trees).
- `records`: validation by record: a changed data file is split into records and only the
  records whose text changed are read and checked again; each record gets a content digest.
- `fingerprint`: digests of what a page is made from, so an unchanged page is not made again.

The site-level use — patching the live site in place — is generator.site.build_cache and
generator.site.build.
"""
