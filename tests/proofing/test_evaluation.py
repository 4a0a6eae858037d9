"""The evaluation on the held-out part meets the issue's targets."""

from campaigndesk.proofing.evaluate import evaluate, meets_targets, table


def test_held_out_meets_targets():
    score = evaluate("held-out")
    assert meets_targets(score) == [], table({"held-out": score})


def test_tuning_meets_targets():
    score = evaluate("tuning")
    assert meets_targets(score) == [], table({"tuning": score})


def test_the_tuner_cuts_briefs_into_sentences_that_keep_their_errors():
    from campaigndesk.proofing.tune import cut, tuning_sets

    src = "3月18日，社工走访了老人。\n社工为老人安装了扶手，并在次上门回访！最后合影"
    tgt = src.replace("在次", "再次")
    start = src.index("在次")
    got = cut("b", src, tgt, [{"start": start, "end": start + 1, "kind": "single"}])
    assert [s.source for s in got] == [
        "3月18日，社工走访了老人。", "社工为老人安装了扶手，并在次上门回访！", "最后合影"]
    assert [s.kinds for s in got] == [(), ("single",), ()]
    assert got[1].wrong == {got[1].source.index("在"): "再"}
    names = [name for name, _ in tuning_sets()]
    # What people wrote is tuned on; the held-out sets are never among them.
    assert "tuning sentences" in names and not any("held" in n for n in names)
