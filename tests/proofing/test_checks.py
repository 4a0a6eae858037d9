"""Each category catches its example, spans point at the right text, clean briefs stay clean."""

from datetime import date

import pytest

from campaigndesk.proofing import Context, check
from campaigndesk.proofing.corpus import context_for, load_clean

TITLE = "赛罕区开展社会工作主题宣传活动"
CAMPAIGN = Context(campaign_start=date(2022, 3, 17), campaign_end=date(2022, 3, 31),
                   today=date(2022, 4, 5), unit_code="150100")


def body_with(sentence: str) -> str:
    clean = load_clean()[0]
    first, _, rest = clean.body.partition("\n")
    return first + sentence + "\n" + rest


def findings(sentence: str, category: str, context: Context = CAMPAIGN):
    body = body_with(sentence)
    report = check(TITLE, body, context=context)
    full = TITLE + "\n" + body
    out = [f for f in report.findings if f.category == category]
    for f in out:
        assert full[f.start:f.end] == f.text, "span must point at the reported text"
    return out


@pytest.mark.parametrize(("sentence", "text", "suggestion"), [
    ("社工们再接再励，做好服务。", "再接再励", "再接再厉"),
    ("社工为服务对像建立了档案。", "对像", "对象"),
    ("活动链接了慈善资原。", "资原", "资源"),
    ("社工战的工作人员参加了活动。", "社工战", "社工站"),
])
def test_typos_listed_and_unlisted(sentence, text, suggestion):
    hits = findings(sentence, "typo")
    assert any(f.text.endswith(text) or text in f.text for f in hits)
    assert any(f.suggestion and suggestion in f.suggestion for f in hits)


def test_unlisted_examples_are_not_in_the_list():
    from campaigndesk.proofing.typos import confusions

    wrong = set(confusions().wrong)
    assert not {"服务对像", "对像", "慈善资原", "资原", "社工战"} & wrong
    assert len(wrong) >= 2000


@pytest.mark.parametrize(("sentence", "text", "suggestion"), [
    ("社工们表示要树立“四个自信”。", "树立“四个自信”", "坚定“四个自信”"),
    ("习总书记的重要指示为我们指明了方向。", "习总书记", "习近平总书记"),
    ("材料报送至自治区民政局。", "自治区民政局", "内蒙古自治区民政厅"),
    ("过去的哲里木盟如今变化很大。", "哲里木盟", "通辽市"),
    ("坚定道路自信、理论自信、文化自信、制度自信。", "道路自信、理论自信、文化自信、制度自信",
     "道路自信、理论自信、制度自信、文化自信"),
])
def test_wording(sentence, text, suggestion):
    hits = findings(sentence, "wording")
    assert [(f.text, f.suggestion) for f in hits] == [(text, suggestion)]


@pytest.mark.parametrize(("sentence", "flagged"), [
    ("社工们认真的向社区居民讲解常见诈骗手段。", True),
    ("志愿者耐心细致的为老人解答政策问题。", True),
    ("社工手把手的教老人使用智能手机。", False),  # 教 is not in the list: no guess
    ("社工为居民提供热情的服务和耐心的讲解。", False),  # nouns after 的: correct
    ("会上提出了积极的对策，明确了服务对象。", False),
    ("大家对社工认真的态度给予好评。", False),
])
def test_de_before_a_verb(sentence, flagged):
    hits = [f for f in findings(sentence, "wording") if f.suggestion == "地"]
    assert bool(hits) is flagged
    assert all(f.text == "的" for f in hits)


@pytest.mark.parametrize("wrong, right", [("转帐", "转账"), ("帐户", "账户"), ("报帐", "报账")])
def test_zhang_words(wrong, right):
    hits = findings(f"提醒老人不要向陌生人{wrong}，注意保护{wrong}信息。", "typo")
    assert [(f.text, f.suggestion) for f in hits] == [(wrong, right), (wrong, right)]


def test_emoji_are_not_for_a_published_brief():
    hits = findings("现场气氛热烈👍🏻🎉，社工们❤️满满。", "punctuation")
    assert [(f.text, f.severity) for f in hits] == [
        ("👍🏻", "warning"), ("🎉", "warning"), ("❤️", "warning")]
    assert findings("★重点：社工站建设（见表1）。", "punctuation") == []


def test_a_family_emoji_is_one_finding_and_its_removal_removes_it_whole():
    hits = findings("社工与老人一家合影👨\u200d👩\u200d👧。", "punctuation")
    assert [(f.text, f.suggestion) for f in hits] == [("👨\u200d👩\u200d👧", "")]


def test_traditional_characters_are_said_once_not_guessed_one_by_one():
    hits = findings("社區組織志願者們為老人們提供服務，達到了預期效果。", "typo")
    assert len(hits) == 1, hits
    assert hits[0].severity == "error" and "繁体字" in hits[0].message
    assert "區→区" in hits[0].message and hits[0].suggestion is None


def test_a_word_next_to_traditional_characters_is_not_guessed_at():
    hits = findings("社區聯合志願者開展活動。", "typo")
    assert len(hits) == 1 and "繁体字" in hits[0].message, hits


def test_full_width_digits_and_letters_are_flagged_with_the_half_width_form():
    hits = findings("３月１８日，社区开展ＡＰＰ使用培训。", "number")
    assert [(f.text, f.suggestion) for f in hits] == [("３", "3"), ("１８", "18"),
                                                      ("ＡＰＰ", "APP")]


def test_correct_formulations_and_leader_name_are_not_flagged():
    s = ("社工们深刻领悟“两个确立”的决定性意义，增强“四个意识”、坚定“四个自信”、做到“两个维护”，"
         "以习近平新时代中国特色社会主义思想为指导，认真学习习近平总书记的重要指示精神。")
    assert findings(s, "wording") == []
    assert findings(s, "sensitive") == []


def test_wording_rules_count_and_sources():
    from campaigndesk.proofing.wording import rules

    assert len(rules()) >= 150
    assert all(r.source for r in rules())


def test_sensitive_and_department_extension():
    assert [f.text for f in findings("社区里的傻子也被照顾得很好。", "sensitive")] == ["傻子"]
    ctx = Context(extra_sensitive=("某某项目",))
    assert [f.text for f in findings("社工介绍了某某项目。", "sensitive", ctx)] == ["某某项目"]


def test_sensitive_file_extension(tmp_path):
    extra = tmp_path / "extra.tsv"
    extra.write_text("# 本局补充\n老毛病\twarning\t\t\t本局\n", encoding="utf-8")
    hits = findings("社工们改掉了老毛病。", "sensitive", Context(sensitive_file=str(extra)))
    assert [(f.text, f.severity) for f in hits] == [("老毛病", "warning")]


@pytest.mark.parametrize(("sentence", "text"), [
    ("活动很成功,大家很满意。", ","),
    ("活动很成功。。大家很满意。", "。。"),
    ("社工们唱歌、聊天...气氛融洽。", "..."),
    ("社工说“我们会继续努力。", "“"),
    ("活动由社工站(社工室)承办。", "("),
])
def test_punctuation(sentence, text):
    assert text in [f.text for f in findings(sentence, "punctuation")]


@pytest.mark.parametrize(("sentence", "text", "severity"), [
    ("活动共发放资料3千份。", "3千", "error"),
    ("活动共发放资料1,500份。", "1,500", "warning"),
    ("活动共服务约200余人次。", "约200余", "error"),
    ("该站于22年3月建成。", "22年", "error"),
    ("4月18日还将举办第二场活动。", "4月18日", "error"),  # after today
    ("3月8日开展了预热活动。", "3月8日", "warning"),  # before the campaign
    ("3月32日开展了活动。", "3月32日", "error"),
    ("3月18日（星期三）开展了活动。", "3月18日（星期三）", "error"),  # it was a Friday
])
def test_numbers(sentence, text, severity):
    hits = findings(sentence, "number")
    assert (text, severity) in [(f.text, f.severity) for f in hits]


def test_linked_activity_figures_disagree():
    ctx = Context(activity_figures={"beneficiaries": 150})
    report = check(TITLE, "3月18日，社工为老年人开展服务，本次活动共服务群众200人次。", context=ctx)
    assert [f.text for f in report.findings if f.category == "number"] == ["200"]
    same = Context(activity_figures={"beneficiaries": 200})
    report = check(TITLE, "3月18日，社工为老年人开展服务，本次活动共服务群众200人次。",
                   context=same)
    assert [f for f in report.findings if f.category == "number"] == []


def test_elements_extracted_with_spans():
    b = load_clean()[1]
    report = check(b.title, b.body, context=context_for(b.unit))
    full = b.title + "\n" + b.body
    for kind in ("time", "place", "recipients", "participants"):
        assert report.elements[kind], kind
        for m in report.elements[kind]:
            assert full[m.start:m.end] == m.text
    assert "土默特左旗" in [m.text for m in report.elements["place"]]


def test_short_place_names_are_places():
    for name in ("土左旗", "达茂旗", "科左中旗", "察右前旗", "东乌旗"):
        report = check(TITLE, f"3月18日，{name}民政局组织社工为老年人开展服务。")
        assert name in [m.text for m in report.elements["place"]], name


def test_a_name_recognised_once_is_left_alone_where_it_is_repeated():
    # 宝力根 (a Mongolian-derived 街道 name) sounds like 暴力; once the brief names it as
    # a 街道, the same name opening a later sentence is a name too.
    body = ("3月25日，锡林浩特市宝力根街道社工站组织15名社会工作者走进敬老院，"
            "为52名老人开展服务。\n宝力根街道社工站负责人表示，今后将定期开展服务。")
    report = check("社工站走进敬老院", body)
    assert [f.text for f in report.findings if f.category == "typo"] == []


def test_book_titles_and_the_word_xiangzhen_name_no_place():
    body = ("3月21日，东河区民政局在西脑包街道开展宣传，重点宣传《关于加快推进乡镇（街道）"
            "社工站建设的实施意见》，推进乡村社会工作服务，为老年人提供服务。")
    report = check("东河区开展宣传", body)
    assert {m.text for m in report.elements["place"]} == {"东河区", "西脑包街道"}


def test_missing_vague_and_outside_elements():
    report = check("一次活动", "社工们开展了服务。")
    missing = [f for f in report.findings if f.category == "element" and f.severity == "error"]
    # 社工 are participants; time, place and recipients are missing.
    assert sorted(f.message for f in missing) == sorted(
        f"缺少要素：未写明{k}。" for k in ("时间", "地点", "服务对象"))
    vague = findings("近日，我市开展了活动。", "element")
    assert vague == []  # the brief has specific time and place besides
    r = check("活动", "近日，我市社工为老年人开展了服务。")
    assert {f.text for f in r.findings if f.severity == "warning"} >= {"近日", "我市"}
    outside = findings("包头市的社工也参加了活动。", "element")
    assert [f.text for f in outside] == ["包头市"]


def test_length_bounds():
    short = check(TITLE, "3月18日，社工为老年人服务。", context=CAMPAIGN)
    assert [f.severity for f in short.findings if f.category == "length"] == ["warning"]
    long_body = load_clean()[0].body * 3
    long = check(TITLE, long_body, context=CAMPAIGN)
    (f,) = [f for f in long.findings if f.category == "length"]
    assert f.end == len(TITLE) + 1 + len(long_body)
    assert check(TITLE, load_clean()[0].body, context=Context(min_length=10)).findings == []


def test_clean_briefs_stay_clean():
    for b in load_clean():
        report = check(b.title, b.body, context=context_for(b.unit))
        assert report.findings == [], (b.brief_id, report.findings)


def test_corpus_size_and_coverage():
    from campaigndesk.proofing.corpus import load_cases
    from campaigndesk.proofing.places import reporting_units

    briefs = load_clean()
    assert len(briefs) >= 60
    assert {b.unit for b in briefs} == {u.code for u in reporting_units()}
    assert len(reporting_units()) == 14
    cases = load_cases()
    assert len(cases) >= 300
    cats = {lab.category for c in cases for lab in c.labels}
    assert cats == {"length", "element", "typo", "wording", "sensitive", "punctuation", "number"}
