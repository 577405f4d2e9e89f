"""Extraction quality of the whole pipeline (decode -> extract -> segments), scored with the logic of
../shared/eval/score.py on the evaluation pages, the seeds and the mixed-language documents.

The floors sit just below the figures reached (see bench/bench_extract.py for the full table): a
change that makes any of them drop fails here.
"""

from __future__ import annotations

import pytest
from conftest import SHARED

from archive.ingest.evaluate import evaluate, load_scorer, summarise

pytestmark = [
    pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="../shared/eval is absent"),
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def scorer():
    return load_scorer(SHARED / "eval" / "score.py")


@pytest.fixture(scope="module")
def pages(scorer) -> dict[str, dict]:
    return summarise(evaluate([SHARED / "eval" / "pages", SHARED / "seeds"], scorer))


def check(row: dict, floors: dict[str, float], ceilings: dict[str, float] | None = None) -> None:
    assert row["failed"] == 0
    for k, v in floors.items():
        assert row[k] >= v, f"{k} {row[k]:.3f} fell below {v}"
    for k, v in (ceilings or {}).items():
        assert row[k] <= v, f"{k} {row[k]:.3f} rose above {v}"


def test_html_mode(pages: dict[str, dict]) -> None:
    check(pages["html/all"], {"body_f1": 0.96, "keep": 0.90, "title": 0.90, "date": 0.95, "author": 0.80,
                              "language": 0.99}, {"leak": 0.01})
    check(pages["html/arabic-script"], {"body_f1": 0.96, "title": 0.95, "language": 1.0}, {"leak": 0.01})


def test_text_mode(pages: dict[str, dict]) -> None:
    check(pages["text/all"], {"body_f1": 0.93, "keep": 0.95, "title": 0.64, "date": 0.80, "language": 0.99},
          {"leak": 0.05})
    check(pages["text/arabic-script"], {"body_f1": 0.97, "title": 0.95, "language": 1.0}, {"leak": 0.01})


def test_seeds_are_perfect(scorer) -> None:
    row = summarise(evaluate([SHARED / "seeds"], scorer, ("text",)))["text/all"]
    check(row, {"keep": 1.0, "title": 1.0, "date": 1.0, "language": 1.0, "body_f1": 0.999}, {"leak": 0.0})


def test_mixed_language_segments(scorer) -> None:
    row = summarise(evaluate([SHARED / "eval" / "langmix"], scorer, ("text",)))["text/all"]
    check(row, {"seg_acc": 0.99, "language": 1.0})


def test_extraction_is_deterministic(scorer) -> None:
    from archive.ingest import extract
    from archive.model import RawInput

    path = SHARED / "eval" / "langmix" / "langmix-first-007-fa-en.txt"
    first = extract(RawInput(str(path), path.read_bytes())).to_dict()
    for _ in range(5):
        assert extract(RawInput(str(path), path.read_bytes())).to_dict() == first
