"""The evaluation on the held-out part meets the issue's targets."""

from campaigndesk.proofing.evaluate import evaluate, meets_targets, table


def test_held_out_meets_targets():
    score = evaluate("held-out")
    assert meets_targets(score) == [], table({"held-out": score})


def test_tuning_meets_targets():
    score = evaluate("tuning")
    assert meets_targets(score) == [], table({"tuning": score})
