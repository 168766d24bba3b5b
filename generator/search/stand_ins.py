"""Placeholders: empty docs that keep the place, in id order, of docs that went.

Doc ids follow date, and within a date urls descending (builder._order), so a doc that leaves
shifts the ids of the docs after it, and a patch rewrites every posting holding one of those
(patch_plan).  A placeholder put in its stead keeps them where they were:

* One that stands for a known doc (`stand_in_url`) is named after that doc's url and placed by
  it, so it takes exactly the doc's slot: no other doc moves.  Only for docs whose url stays
  public anyway (a withdrawn decision's page keeps its url, with a notice, and the withdrawals
  register lists it).
* An anonymous one (`anonymous_url`) is named by its date and a number only, for docs whose url must
  not stay in the index (an enterprise's page, gone with its last public record); it goes among
  its date's docs, which are the only ones it moves.

A placeholder has no text, kind or facet: found by no query and listed nowhere (BLANK_FILE lists
their ids, so that the client never shows one).
"""

from __future__ import annotations

PREFIX = "~"  # no page url starts with it


def is_placeholder(url: str) -> bool:
    return url.startswith(PREFIX)


def placed_by(url: str) -> str:
    """The url a doc is placed by within its date: a placeholder's is the url it stands for
    (an anonymous one's, "2024-05-01-0", starts with a digit and so sorts below every page url:
    last of its date in id order).  Checkpoint docs are picked by it too (grams.is_checkpoint_doc), so that a doc and
    the placeholder that takes its slot are both checkpoint docs or neither."""
    return url.removeprefix(PREFIX)


def dated_order(url: str) -> tuple[str, str]:
    """The key of a dated doc within its date, sorted descending (builder._order).  The url
    itself breaks the one tie there could be, a doc and a placeholder standing for it."""
    return placed_by(url), url


def stand_in_url(url: str) -> str:
    return PREFIX + url


def anonymous_url(date: str, number: int) -> str:
    return f"{PREFIX}{date}-{number}"
