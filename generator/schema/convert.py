"""Raw records → typed records, with every complaint mapped back to file, line and column."""

from __future__ import annotations

from pydantic import ValidationError

from generator.problem_codes import CODES, problem
from generator.problems import Problem
from generator.schema.kinds import Kind
from generator.schema.models import Record
from generator.schema.types import describe
from generator.sources.raw import RawRecord

# pydantic's own error types, for the few cases our validators do not raise themselves.
_BUILTIN_CODES = {"missing": "field.required", "extra_forbidden": "field.unknown"}


def convert(kind: Kind, raw: RawRecord) -> tuple[Record | None, list[Problem]]:
    raw.label = raw.text(kind.key_header) or raw.label
    values = {header: rv.value for header, rv in raw.values.items()}
    try:
        return _share_fields_set(kind.model.model_validate(values)), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        if raw.reported:  # the reader's problem with a value stands; "required" for it would repeat it
            errors = [e for e in errors if not (e["loc"] and str(e["loc"][0]) in raw.reported)]
        return None, [_problem_from_error(kind, raw, err) for err in errors]


# pydantic gives every instance its own set of the field names it was given (~2 KB for a penalty):
# at 100k records that is a fifth of the catalog's memory.  Records are frozen, so instances with the
# same fields can share one set.
_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def _share_fields_set(record: Record) -> Record:
    given = record.__pydantic_fields_set__
    shared = _FIELDS_SETS.setdefault(frozenset(given), given)
    if shared is not given:
        object.__setattr__(record, "__pydantic_fields_set__", shared)
    return record


def _problem_from_error(kind: Kind, raw: RawRecord, err: dict) -> Problem:
    header = str(err["loc"][0]) if err["loc"] else ""
    line, column = raw.position_of(header)
    code = err["type"] if err["type"] in CODES else _BUILTIN_CODES.get(err["type"], "field.type")
    if err["type"] == "missing" or (code == "field.type" and err.get("input") is None):
        code, message = "field.required", "必填字段，不能为空"
    elif err["type"] == "extra_forbidden":
        message = f"{kind.label}没有字段 “{header}”；可用的字段为：{'、'.join(kind.headers)}"
    elif code == "field.type":
        message = f"值的形式不对：{describe(err.get('input'))}"
    else:
        message = err["msg"]
    return problem(code, raw.path, line, column, raw.label, header, message)
