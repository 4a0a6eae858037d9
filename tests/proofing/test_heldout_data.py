"""Checks the held-out proofreading sets are well formed (campaigndesk/proofing/heldout/ and
campaigndesk/proofing/heldout2/): one checker, run once for each folder.

Only the data's shape is checked here: the set is written apart from the engine, and the
engine is measured on it elsewhere (make proofing-eval). Nothing here imports the engine.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

PROOFING = Path(__file__).resolve().parents[2] / "campaigndesk" / "proofing"
HELDOUT_SETS = ["heldout", "heldout2"]
DOMAINS = {"brief", "official", "law", "news", "essay"}
KINDS = {"pinyin", "real_word", "single", "whole_word", "shape", "modern"}


def read_jsonl(folder: Path, name: str) -> list[dict]:
    rows = []
    path = folder / name
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{name} line {number} is blank"
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            pytest.fail(f"{name} line {number} is not JSON: {exc}")
    return rows


@pytest.fixture(scope="module", params=HELDOUT_SETS)
def heldout(request) -> Path:
    return PROOFING / request.param


@pytest.fixture(scope="module")
def sentences(heldout) -> list[dict]:
    return read_jsonl(heldout, "sentences.jsonl")


@pytest.fixture(scope="module")
def briefs(heldout) -> list[dict]:
    return read_jsonl(heldout, "briefs.jsonl")


def changed_runs(source: str, target: str) -> list[tuple[int, int]]:
    """Maximal runs of positions where source and target differ, as (start, end)."""
    runs, start = [], None
    for i, (a, b) in enumerate(zip(source, target, strict=True)):
        if a != b and start is None:
            start = i
        elif a == b and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(source)))
    return runs


def test_sentence_lines_have_the_fields(sentences):
    assert len(sentences) >= 400
    for row in sentences:
        assert set(row) <= {"id", "domain", "source", "target", "kinds"}, row
        assert row["domain"] in DOMAINS, row
        assert isinstance(row["source"], str) and isinstance(row["target"], str), row


def test_sentence_source_and_target_same_length_and_one_sentence(sentences):
    for row in sentences:
        source, target = row["source"], row["target"]
        assert len(source) == len(target), row["id"]
        assert 15 <= len(target) <= 80, (row["id"], len(target))
        assert "\n" not in target and target == target.strip(), row["id"]


def test_wrong_sentences_record_one_kind_per_error(sentences):
    for row in sentences:
        runs = changed_runs(row["source"], row["target"])
        wrong_chars = sum(end - start for start, end in runs)
        kinds = row.get("kinds", [])
        if row["source"] == row["target"]:
            assert not kinds, f"{row['id']} is correct but lists kinds"
            continue
        assert 1 <= wrong_chars <= 2, (row["id"], wrong_chars)
        assert kinds and set(kinds) <= KINDS, row["id"]
        assert len(kinds) == len(runs), (row["id"], kinds, runs)
        for kind, (start, end) in zip(kinds, runs, strict=True):
            # A whole-word error replaces two adjacent characters; every other kind one.
            assert (end - start == 2) == (kind == "whole_word"), (row["id"], kind)


def test_ids_and_texts_unique(sentences, briefs):
    ids = [r["id"] for r in sentences] + [b["id"] for b in briefs]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    targets = Counter(r["target"] for r in sentences)
    assert max(targets.values()) == 1, [t for t, n in targets.items() if n > 1]


def test_mix_of_correct_and_wrong_sentences(sentences):
    correct = sum(r["source"] == r["target"] for r in sentences)
    share_correct = correct / len(sentences)
    assert share_correct >= 0.40, share_correct
    assert 0.50 <= 1 - share_correct <= 0.62, 1 - share_correct


def test_domains_mostly_briefs_and_all_present(sentences):
    domains = Counter(r["domain"] for r in sentences)
    assert set(domains) == DOMAINS
    assert domains["brief"] / len(sentences) >= 0.5, domains
    for domain in DOMAINS - {"brief"}:
        assert domains[domain] >= 30, domains
        wrong = sum(r["source"] != r["target"] for r in sentences if r["domain"] == domain)
        assert 0.3 <= wrong / domains[domain] <= 0.75, (domain, wrong, domains[domain])


def test_error_kinds_in_rough_shares(sentences):
    kinds = Counter(k for r in sentences for k in r.get("kinds", []))
    total = sum(kinds.values())
    assert set(kinds) == KINDS, kinds
    for kind in KINDS:
        assert 0.08 <= kinds[kind] / total <= 0.35, (kind, kinds[kind], total)
    # The breakdown of missed errors: near-sound first, then real words, then
    # single-character words.
    assert kinds["pinyin"] >= kinds["real_word"] >= kinds["single"] * 0.9, kinds


def test_brief_lines_have_the_fields(briefs):
    assert len(briefs) >= 20
    for brief in briefs:
        assert set(brief) == {"id", "unit", "title", "source_body", "target_body", "errors"}
        assert brief["unit"].strip() and brief["title"].strip(), brief["id"]
        assert 350 <= len(brief["target_body"]) <= 600, (brief["id"], len(brief["target_body"]))
        assert len(brief["source_body"]) == len(brief["target_body"]), brief["id"]
        assert 0 <= len(brief["errors"]) <= 4, brief["id"]


def test_brief_error_offsets_match_the_text(briefs):
    for brief in briefs:
        source, target = brief["source_body"], brief["target_body"]
        fixed = list(source)
        previous_end = 0
        for error in brief["errors"]:
            start, end = error["start"], error["end"]
            assert previous_end <= start < end <= len(source), (brief["id"], error)
            assert source[start:end] == error["wrong"], (brief["id"], error)
            assert target[start:end] == error["right"], (brief["id"], error)
            assert error["wrong"] != error["right"], (brief["id"], error)
            assert error["kind"] in KINDS, (brief["id"], error)
            fixed[start:end] = error["right"]
            previous_end = end
        assert "".join(fixed) == target, f"{brief['id']}: applying the errors does not give target"


def test_about_a_third_of_briefs_error_free(briefs):
    clean = sum(not b["errors"] for b in briefs)
    assert 0.25 <= clean / len(briefs) <= 0.45, clean
    for brief in briefs:
        if not brief["errors"]:
            assert brief["source_body"] == brief["target_body"], brief["id"]
