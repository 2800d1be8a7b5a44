"""The seven mistakes of `make mutations-acceptance` still point at the code: each one's text occurs
exactly once in its file, so refactoring a line cannot silently turn the acceptance check into
"text not found" (it would only be noticed when someone runs it)."""
from pathlib import Path

import pytest

from .mutations import MUTATIONS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_each_mistake_applies_to_exactly_one_place(mutation):
    text = (ROOT / mutation.file).read_text(encoding="utf-8")
    assert text.count(mutation.old) == 1, f"{mutation.name}: the text to change is no longer in {mutation.file}"
    assert mutation.new != mutation.old
