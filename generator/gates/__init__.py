"""Quality gates over a built site: nothing is published unless every gate passes.

One module per gate, each a function over the output directory that returns `Finding`s:

- `links`       every href/src/srcset and CSS url() inside the site resolves to a file (and #fragment);
- `external`    nothing loads from another host (scripts, styles, images, fonts, frames, fetch targets);
- `privacy`     no ID-card, mobile, bank-card number or private e-mail anywhere in the output bytes;
- `html_valid`  the Nu Html Checker (vnu-jar) finds no error on one page of each page type;
- `a11y`        axe-core in the system Chromium finds no serious/critical violation; no outside request;
- `determinism` two builds of the same input with the same --as-of are byte-identical.

Run them with `python -m generator.gates SITE_DIR` (see `__main__.py`).
"""

from generator.gates.findings import Finding

__all__ = ["Finding"]
