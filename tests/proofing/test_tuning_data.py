"""Shape and offset checks for the proofreader's tuning briefs and sentences.

The tuning set is for calibrating false alarms, so the checks guard what a
calibration run relies on: every listed error sits exactly where it says, the
corrections turn the source into the target, and most briefs are clean. The
sentences have the held-out sentences' format and are checked with the held-out
checker's own checks (imported, not copied); only the data is read, never the engine.
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.proofing import test_heldout_data as heldout

ROOT = Path(__file__).resolve().parents[2]
TUNING = ROOT / "campaigndesk" / "proofing" / "tuning" / "briefs.jsonl"
KINDS = {"pinyin", "real_word", "single", "whole_word", "shape", "modern"}
FIELDS = {"id", "unit", "title", "source_body", "target_body", "errors"}


def _briefs() -> list[dict]:
    with TUNING.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


BRIEFS = _briefs()


def _apply(source: str, errors: list[dict]) -> str:
    out = source
    # Substitutions keep length, so offsets stay valid whatever the order.
    for err in errors:
        out = out[: err["start"]] + err["right"] + out[err["end"] :]
    return out


def test_at_least_forty_briefs_with_unique_ids() -> None:
    ids = [b["id"] for b in BRIEFS]
    assert len(BRIEFS) >= 40
    assert len(ids) == len(set(ids))


def test_most_briefs_are_clean() -> None:
    clean = [b for b in BRIEFS if not b["errors"]]
    assert len(clean) / len(BRIEFS) >= 0.55
    # A clean brief must not differ anywhere from its target.
    assert all(b["source_body"] == b["target_body"] for b in clean)
    # ... and the set must still contain errors to measure recall on.
    assert len(clean) < len(BRIEFS)


@pytest.mark.parametrize("brief", BRIEFS, ids=[b["id"] for b in BRIEFS])
def test_brief_shape(brief: dict) -> None:
    assert set(brief) == FIELDS
    for key in ("id", "unit", "title", "source_body", "target_body"):
        assert isinstance(brief[key], str) and brief[key].strip(), key
    assert 350 <= len(brief["target_body"]) <= 600
    assert len(brief["source_body"]) == len(brief["target_body"])
    assert len(brief["errors"]) <= 3


@pytest.mark.parametrize("brief", BRIEFS, ids=[b["id"] for b in BRIEFS])
def test_error_offsets_and_corrections(brief: dict) -> None:
    src, tgt = brief["source_body"], brief["target_body"]
    last_end = 0
    for err in sorted(brief["errors"], key=lambda e: e["start"]):
        assert err["kind"] in KINDS
        start, end = err["start"], err["end"]
        assert last_end <= start < end <= len(src), "errors overlap or fall outside the text"
        assert src[start:end] == err["wrong"]
        assert tgt[start:end] == err["right"]
        assert err["wrong"] != err["right"]
        assert len(err["wrong"]) == len(err["right"])
        last_end = end
    assert _apply(src, brief["errors"]) == tgt
    # Every difference between source and target is a listed error.
    listed = {i for e in brief["errors"] for i in range(e["start"], e["end"])}
    differing = {i for i, (a, b) in enumerate(zip(src, tgt, strict=True)) if a != b}
    assert differing == listed


# --- Tuning sentences (sentences.jsonl) -------------------------------------------------
# The same shape as the held-out sentences, so the held-out checker's checks are reused
# as they are (called with the tuning rows), plus the checks only this set makes.

SENTENCES = heldout.read_jsonl(TUNING.parent, "sentences.jsonl")


def test_sentences_have_the_fields_of_the_heldout_set() -> None:
    assert len(SENTENCES) >= 500
    heldout.test_sentence_lines_have_the_fields(SENTENCES)
    heldout.test_sentence_source_and_target_same_length_and_one_sentence(SENTENCES)


def test_sentences_record_one_kind_per_error() -> None:
    heldout.test_wrong_sentences_record_one_kind_per_error(SENTENCES)


def test_sentence_ids_numbered_and_texts_unique() -> None:
    assert [r["id"] for r in SENTENCES] == [f"tsent-{i:04d}" for i in range(1, len(SENTENCES) + 1)]
    # Unique against the tuning briefs' ids too.
    heldout.test_ids_and_texts_unique(SENTENCES, BRIEFS)


def test_sentences_mix_domains_and_kinds_like_the_heldout_set() -> None:
    heldout.test_mix_of_correct_and_wrong_sentences(SENTENCES)
    heldout.test_domains_mostly_briefs_and_all_present(SENTENCES)
    heldout.test_error_kinds_in_rough_shares(SENTENCES)


def test_no_wrong_right_pair_more_than_twice() -> None:
    pairs = Counter()
    for row in SENTENCES:
        for start, end in heldout.changed_runs(row["source"], row["target"]):
            pairs[row["source"][start:end], row["target"][start:end]] += 1
    assert max(pairs.values()) <= 2, [p for p, n in pairs.items() if n > 2]


def test_sentences_are_chinese_text_without_marks() -> None:
    # No left-over markup from writing the errors in place ([wrong|right|kind]).
    for row in SENTENCES:
        for text in (row["source"], row["target"]):
            assert not re.search(r"[\[\]|]", text), row["id"]
            assert re.search(r"[\u4e00-\u9fff]", text), row["id"]
