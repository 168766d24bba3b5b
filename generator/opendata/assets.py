"""The "download this filtered view" helper script, with the kinds' headers filled in from the schema."""

from __future__ import annotations

import json
from importlib import resources

from generator.schema.kinds import KINDS

from .records import KIND_ORDER

SCRIPT_PATH = "assets/javascripts/filtered-download.js"


def filtered_download_js() -> bytes:
    template = resources.files(__package__).joinpath("filtered-download.js").read_text(encoding="utf-8")
    headers = {name: list(KINDS[name].download_headers) for name in KIND_ORDER}
    keys = {name: KINDS[name].key_header for name in KIND_ORDER}
    text = template.replace("__HEADERS__", json.dumps(headers, ensure_ascii=False))
    text = text.replace("__KEYS__", json.dumps(keys, ensure_ascii=False))
    return text.encode("utf-8")
