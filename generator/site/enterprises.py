"""Enterprise pages: one per 统一社会信用代码 (or per name where there is none), gathering the public
penalties and accidents of that organisation.  Natural persons never get a page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.catalog import Entry
from generator.rules.privacy import NATURAL_PERSON
from generator.schema.models import Accident, Penalty
from generator.site import urls


@dataclass
class Enterprise:
    url: str
    credit_code: str
    name: str  # the newest name seen
    other_names: list[str] = field(default_factory=list)
    penalties: list[Entry[Penalty]] = field(default_factory=list)
    accidents: list[Entry[Accident]] = field(default_factory=list)
    # The decision dates of its decisions withdrawn within their publication period (not on its
    # page; they date its search document: site.search_docs.enterprise_doc), oldest first.
    withdrawn_days: list[dt.date] = field(default_factory=list)

    def add_name(self, name: str) -> None:
        if name != self.name and name not in self.other_names:
            self.other_names.append(name)


def penalty_enterprise_url(record: Penalty) -> str | None:
    if record.party_type == NATURAL_PERSON:
        return None
    return urls.enterprise(record.credit_code, record.party_name)


def accident_enterprise_url(record: Accident) -> str | None:
    if not record.unit:
        return None
    return urls.enterprise(record.credit_code, record.unit)


def group_enterprises(
    penalties: list[Entry[Penalty]], accidents: list[Entry[Accident]], withdrawn: Iterable[Entry[Penalty]] = ()
) -> list[Enterprise]:
    """Enterprises in URL order, of the public `penalties` and `accidents`; the `withdrawn` ones
    (within their period) add their dates to the enterprises they are of.  Inputs are newest first,
    so the first name seen is the current one."""
    found: dict[str, Enterprise] = {}

    def get(url: str, code: str | None, name: str) -> Enterprise:
        enterprise = found.get(url)
        if enterprise is None:
            enterprise = found[url] = Enterprise(url, code or "", name)
        enterprise.add_name(name)
        return enterprise

    for entry in penalties:
        url = penalty_enterprise_url(entry.record)
        if url:
            get(url, entry.record.credit_code, entry.record.party_name).penalties.append(entry)
    for accident in accidents:
        url = accident_enterprise_url(accident.record)
        if url and accident.record.unit:
            get(url, accident.record.credit_code, accident.record.unit).accidents.append(accident)
    for entry in withdrawn:
        url = penalty_enterprise_url(entry.record)
        if url in found:
            found[url].withdrawn_days.append(entry.record.decision_date)
    for enterprise in found.values():
        enterprise.withdrawn_days.sort()
    return [found[url] for url in sorted(found)]
