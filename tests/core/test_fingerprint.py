"""Fingerprints and cheap keys (generator.incremental.fingerprint) name values, never objects:
equal inputs give equal bytes however they share or intern their parts."""

from __future__ import annotations

import sys

import pytest

from generator.incremental.fingerprint import NoKey, fingerprint, key_fingerprint


def _equal_unshared(text: str) -> str:
    copy = "".join([text[:1], text[1:]])  # built at run time: equal, another object, not interned
    assert copy == text and copy is not text
    return copy


PATH = "data/penalties/2026.yml"


def _keys() -> tuple[tuple, tuple]:
    """One key twice: its records sharing one path string (as entries of one file do in one
    process), and holding equal strings that are separate objects (as after a load elsewhere)."""
    digest_a, digest_b = b"a" * 16, b"b" * 16
    shared = ((digest_a, PATH, 3, 739000), (digest_b, PATH, 9, 0))
    separate = ((digest_a, _equal_unshared(PATH), 3, 739000), (digest_b, _equal_unshared(PATH), 9, 0))
    return shared, separate


def test_a_key_names_its_values_not_how_its_strings_are_shared() -> None:
    shared, separate = _keys()
    assert shared == separate
    assert key_fingerprint(lambda: shared) == key_fingerprint(lambda: separate)


def test_a_key_names_its_values_not_whether_its_strings_are_interned() -> None:
    name = _equal_unshared("某某化工有限公司")
    assert key_fingerprint(lambda: (sys.intern("ab" + "cd"), name)) == key_fingerprint(lambda: (_equal_unshared("abcd"), name))


def test_inputs_name_their_values_not_how_they_are_shared() -> None:
    shared, separate = _keys()
    assert fingerprint(shared) == fingerprint(separate)


@pytest.mark.parametrize("make", [fingerprint, lambda value: key_fingerprint(lambda: value)])
def test_different_values_are_named_differently(make) -> None:  # noqa: ANN001
    shared, _ = _keys()
    moved = ((b"a" * 16, PATH, 4, 739000), shared[1])
    assert len(make(shared)) == 16
    assert make(shared) != make(moved)


def test_a_key_that_cannot_be_made_is_none() -> None:
    def no_key() -> tuple:
        raise NoKey

    assert key_fingerprint(no_key) is None
