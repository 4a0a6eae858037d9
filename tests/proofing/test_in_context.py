"""Issue 14: typos decided in context by the language model, a modern lexicon, findings a
reviewer can trust, and a clear word when the model is missing."""

import subprocess
import sys
from pathlib import Path

import pytest

from campaigndesk.proofing import Context, check, lm
from campaigndesk.proofing.corpus import load_clean

TITLE = "科尔沁区开展社会工作主题宣传活动"
ROOT = Path(__file__).resolve().parents[2]


def body_with(sentence: str) -> str:
    clean = load_clean()[0]
    first, _, rest = clean.body.partition("\n")
    return first + sentence + "\n" + rest


def typos_in(sentence: str, context: Context | None = None):
    report = check(TITLE, body_with(sentence), context=context)
    out = [f for f in report.findings if f.category == "typo"]
    for f in out:
        assert report.text[f.start:f.end] == f.text
    return out


@pytest.mark.parametrize(("sentence", "wrong", "right"), [
    ("今年以来，社工协助社区开展核算检测12次。", "核算", "核酸"),
    ("社工们制作了短视屏，在社区微信群里播放。", "屏", "频"),
    ("服务要循序渐近，不能急于求成。", "近", "进"),
    ("社工为居家隔离的居民开展心理输导。", "输", "疏"),
    ("社区自愿服务队走进小区开展服务。", "自", "志"),
    ("社工站举办了防诈骗知识竟答活动。", "竟", "竞"),
    ("志愿者为失能老人送去纸尿库和米面油。", "库", "裤"),
])
def test_the_walk_throughs_typos_are_found(sentence, wrong, right):
    hits = typos_in(sentence)
    assert any(wrong in f.text and f.suggestion and right in f.suggestion for f in hits), hits


def test_the_confidence_shown_is_the_share_right_on_the_tuning_material():
    from campaigndesk.proofing import incontext, tune

    sets = [(n, p) for n, p in tune.tuning_sets() if not n.startswith("corpus tuning")]
    measured = {lo: k / n for lo, n, k in tune.calibration(sets) if n}
    table = dict(incontext.CALIBRATION)
    for lo, share in measured.items():
        # The table is re-measured when the engine changes (tune --calibrate).
        assert abs(table[lo] - share) < 0.05, (lo, table[lo], share)


def test_a_guess_carries_its_confidence_and_the_models_scores():
    hit = next(f for f in typos_in("今年以来，社工协助社区开展核算检测12次。") if "核算" in f.text)
    assert 0 < hit.confidence < 1
    assert hit.score_suggested > hit.score_written  # log10: the correction reads better
    assert hit.to_dict()["score_written"] == hit.score_written


@pytest.mark.parametrize("sentence", [
    "驻村工作队联合社工站开展入户走访。",
    "民政部门持续发力，兜底保障困难群众基本生活。",
    "网格员和社工一起排查独居老人的需求。",
])
def test_valid_words_of_the_field_are_not_flagged(sentence):
    assert typos_in(sentence) == []


def test_the_campaigns_own_words_are_not_flagged():
    sentence = "社工介绍了“暖阳驿站”的服务。"
    assert typos_in(sentence, Context(vocabulary=("暖阳驿站",))) == []


def test_a_number_is_compared_only_with_the_same_quantity():
    ctx = Context(activity_figures={"participants": 60, "beneficiaries": 300})
    report = check(TITLE, "3月20日，科尔沁区社会工作服务中心60名社工参加活动，服务群众300人次。",
                   context=ctx)
    assert [f for f in report.findings if f.category == "number"] == []
    wrong = check(TITLE, "3月20日，60名社工参加活动，服务群众200人次。", context=ctx)
    assert [f.text for f in wrong.findings if f.category == "number"] == ["200"]


@pytest.mark.parametrize("sentence", [
    "今年以来，社区累计服务群众1200人次。",  # a running total, not this activity's
    "今年以来，全社区志愿者服务居民2000余人次。",  # …said at the sentence's start
    "社工入户服务65名独居老人。",  # people, not person-times
    "12名社工参加了当天的活动。",
    "活动链接爱心企业捐赠物资折价3000元。",  # goods, not the linked funds
])
def test_counts_of_other_quantities_are_not_held_against_the_activity(sentence):
    ctx = Context(activity_figures={"participants": 20, "beneficiaries": 200, "funds_yuan": 0})
    report = check(TITLE, body_with(sentence), context=ctx)
    assert [f for f in report.findings if f.category == "number"] == []


def test_a_figure_hint_offers_no_one_click_change():
    ctx = Context(activity_figures={"beneficiaries": 200})
    report = check(TITLE, body_with("当天共服务群众300人次。"), context=ctx)
    hints = [f for f in report.findings if f.category == "number"]
    assert [(f.text, f.suggestion) for f in hints] == [("300", None)]
    assert "“300”" in hints[0].message and "200" in hints[0].message


def test_a_count_before_its_verb_is_compared_too():
    ctx = Context(activity_figures={"participants": 20})
    hints = [f for f in check(TITLE, body_with("活动吸引35人次参与。"), context=ctx).findings
             if f.category == "number"]
    assert [f.text for f in hints] == ["35"]


def test_a_vulgar_word_is_never_offered_as_a_correction():
    hits = typos_in("包青和同事一起走访牧民。")
    assert not any(f.suggestion and "包茎" in f.suggestion for f in hits), hits


def test_element_spans_stop_at_phrase_boundaries():
    report = check(TITLE, body_with("3月20日，通辽市社会工作服务中心联合科尔沁区民政局在明仁街道"
                                    "开展宣传活动。"))
    places = [m.text for m in report.elements["place"]]
    people = [m.text for m in report.elements["participants"]]
    assert "明仁街道" in places
    assert not any("民政局在" in p for p in places)
    assert "科尔沁区民政局" in people
    assert not any(p.startswith("联合") for p in people)


@pytest.mark.parametrize(("sentence", "kind", "expected"), [
    ("3月18日，呼和浩特市民政局在新城区开展活动。", "place", ["呼和浩特市", "新城区"]),
    ("乌兰浩特市民政局组织志愿者走进社区。", "recipients", []),  # no 市民 inside the name
    ("社工带领大学生志愿者走访。", "recipients", []),  # no 学生 inside 大学生
    ("活动中，站长介绍，社工站已服务200人次。", "participants", []),  # 介绍 is no name
    ("宝力根苏木社工站联合市青年志愿者协会开展活动。", "participants", ["市青年志愿者协会"]),
    ("和林格尔县民政局联合盛乐镇卫生院开展义诊。", "participants",
     ["和林格尔县民政局", "盛乐镇卫生院"]),
])
def test_element_spans_are_whole_words(sentence, kind, expected):
    from campaigndesk.proofing.elements import extract

    assert [m.text for m in extract(sentence)[kind]] == expected


def test_one_finding_per_span_and_rule():
    report = check(TITLE, body_with("社区开展了社会工作主题宣传周活动。"))
    hits = [f for f in report.findings if f.text == "社会工作主题宣传周"]
    assert len(hits) == 1


def _run_without_model(env_path: str) -> subprocess.CompletedProcess:
    code = ("from campaigndesk.proofing import check\n"
            "r = check('标题', '社工开展核算检测。')\n"
            "print([f.message for f in r.findings if f.category == 'typo'])\n")
    env = {"PATH": "/usr/bin:/bin", "CAMPAIGNDESK_LM_PATH": env_path,
           "CAMPAIGNDESK_PROOFING_CACHE": str(Path(env_path).parent / "cache")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, env=env, check=True)


def test_a_missing_model_is_said_with_the_package_to_install(tmp_path):
    out = _run_without_model(str(tmp_path / "zh_CN.lm")).stdout
    assert "错别字检查未能进行" in out
    assert lm.PACKAGE in out


def test_model_path_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv("CAMPAIGNDESK_LM_PATH", str(tmp_path / "nothing.lm"))
    with pytest.raises(lm.ModelMissing, match=lm.PACKAGE):
        lm.model_path()


def test_the_bench_prints_speed_and_start_up_against_the_old_engine():
    out = subprocess.run([sys.executable, "bench/proofing_bench.py", "--seconds", "0.3",
                          "--runs", "1"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "in context (LM): start-up" in out and "briefs/s" in out
    assert "issue 4 (jieba): start-up" in out
    assert "ratios (LM / issue 4): speed" in out


# Causes of the false alarms read on the tuning briefs (tuning/, issue 14), tested on
# sentences written afresh, not copied from that set.
@pytest.mark.parametrize("sentence", [
    "社工斯琴高娃带领居民学习垃圾分类知识。",  # a Mongolian name after a role word
    "8岁的小朋友刘梓萱握着画笔说很开心。",  # a child's name
    "社工走访了双河镇郝家窑村的困难群众。",  # a village after its town
    "宣讲员用通俗易懂的语言讲解政策。",  # a common character the cutter leaves alone
    "村医上门为老人诊治。",
    "切实兜住、兜准、兜好民生底线。",
    "推动社工站服务提质增效。",  # 2020s official wording
    "居民议事活动在社区会议室举行。",  # a valid word is not swapped for a same-sound one
])
def test_names_places_and_modern_wording_are_left_alone(sentence):
    assert typos_in(sentence) == []


@pytest.mark.parametrize("sentence", [
    # Mongolian names in Han characters, with no surname, dot or role word to mark them.
    "乌云毕力格和同事一起为牧民送去了药品。",
    "额尔敦巴特尔和同事一起为牧民送去了药品。",
    "节目中有长调和呼麦，也有马头琴演奏。",
    "社工站开展“情暖夕阳”主题活动。",  # a coined slogan in quotes
    "社工站与卫生院合作，推进医养结合服务。",
])
def test_mongolian_names_the_arts_and_slogans_are_left_alone(sentence):
    assert typos_in(sentence) == []


def test_a_typo_inside_quotes_is_still_found_on_strong_evidence():
    hits = typos_in("社区推行“一网通半”服务，群众办事更方便。")
    assert [(f.text, f.suggestion) for f in hits] == [("一网通半", "一网通办")], hits


@pytest.mark.parametrize(("sentence", "wrong", "right"), [
    ("他做在椅子上休息。", "做", "坐"),  # the model has read "他 做" and "做 在"
    ("那天晚上，我和同事座在蒙古包里聊到深夜。", "座", "坐"),
])
def test_a_one_character_word_is_judged_even_beside_familiar_neighbours(sentence, wrong, right):
    hits = typos_in(sentence)
    assert [(f.text, f.suggestion) for f in hits] == [(wrong, right)], hits


def test_a_rare_character_standing_alone_is_still_guessed():
    # (The model prefers 12和 to 12户 here: the finding is right, its suggestion is not.)
    hits = typos_in("社工为12唬困难家庭送去米面油。")
    assert [f.text for f in hits] == ["唬"], hits


def test_tuning_briefs_raise_fewer_than_one_alarm_per_5000_clean_characters():
    from campaigndesk.proofing.heldout_eval import TUNING, brief_score

    s = brief_score(TUNING / "briefs.jsonl", "in context (LM)")
    assert s.clean_chars > 10_000
    # Warnings count: the brief page shows them (提示) beside the errors.
    assert 5000 * (s.clean_errors + s.clean_warnings) / s.clean_chars < 1
    assert s.found / s.errors >= 0.5  # the calibration kept what it found before
