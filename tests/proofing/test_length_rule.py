"""Issue 13 point 5: 字数 as WPS/Word count it (characters without spaces, tabs and line
breaks) against the campaign's bounds, said as 约500字（350～700字）."""

from campaigndesk.proofing import Context, check
from campaigndesk.proofing.text import canonical, count_chars

TITLE = "赛罕区开展社会工作主题宣传活动"
SENTENCE = "3月18日，赛罕区社工为辖区老年人提供政策咨询服务。"  # 26 characters, no spaces


def test_count_leaves_out_every_kind_of_space_and_nothing_else():
    text = "　　社工 为\t老人\n\n服务😊，𠀀字。\u00a0ok 2022年"
    # 社工为老人服务 😊 ， 𠀀字 。 ok 2022年: 7+1+1+2+1+2+5 = 19 (the emoji and 𠀀 one each)
    assert count_chars(text) == 19
    assert count_chars("\r\n \u3000\t") == 0


def test_a_305_character_brief_is_short_for_about_500():
    body = ("　　" + SENTENCE + "\n") * 11 + SENTENCE[:19]  # 11 × 26 + 19 = 305
    assert count_chars(body) == 305
    report = check(TITLE, body, context=Context())
    (finding,) = [f for f in report.findings if f.category == "length"]
    assert report.length == 305
    assert finding.message == ("正文305字（不计空格），少于350字；"
                               "本次活动要求约500字（350～700字）。")


def test_spaces_and_line_breaks_do_not_make_a_brief_long_enough():
    """340 counted characters padded with paragraph breaks and full-width indents: counting
    every character (392) would let it pass."""
    body = ("　　" + SENTENCE + "\n\n") * 13 + SENTENCE[:2]
    assert count_chars(body) == 340 and len(body) > 350
    assert [f.category for f in check(TITLE, body).findings if f.category == "length"] == [
        "length"]


def test_digits_and_punctuation_count_like_in_word():
    """530 characters without spaces, of which only 451 are Chinese characters: the counter
    once said 451 字."""
    body = ("2022年3月18日（星期五）上午，社工为60名老人服务。" * 20)[:530]
    assert count_chars(body) == 530
    assert check(TITLE, body).length == 530


def test_the_campaign_sets_the_bounds_and_the_too_long_span_starts_past_the_bound():
    body = (SENTENCE + "\n") * 30  # 780
    ctx = Context(min_length=600, max_length=700, target_length=650)
    (f,) = [f for f in check(TITLE, body, context=ctx).findings if f.category == "length"]
    assert f.message.endswith("超过700字；本次活动要求约650字（600～700字）。")
    kept = (TITLE + "\n" + body)[len(TITLE) + 1:f.start]
    assert count_chars(kept) == 700
    wider = check(TITLE, body, context=Context(max_length=800))
    assert "length" not in {f.category for f in wider.findings}


def test_canonical_text():
    assert canonical("甲\r\n乙\r丙\u2028丁") == "甲\n乙\n丙\n丁"
    assert canonical("e\u0301") == "\u00e9"  # NFC: one character, counted once
