"""The four elements attachment 2 asks for: time, place, service recipients, participants."""

from __future__ import annotations

import re

from . import lm, places
from .report import Context, Finding, Mention
from .segment import segment
from .vocab import Vocab, vocab

_H = r"[\u4e00-\u9fff]"
TIME = re.compile(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}[日号](?:(?:至|到|—|～|~|-)(?:\d{1,2}月)?\d{1,2}[日号])?"
    r"(?:[（(](?:星期|周)[一二三四五六日天][）)])?(?:上午|下午|晚上|中午|早上)?"
    r"|\d{4}年\d{1,2}月(?:上旬|中旬|下旬|中下旬|初|底)?"
    r"|\d{1,2}月(?:上旬|中旬|下旬|中下旬)"
    r"|(?:上午|下午|晚上|中午)?\d{1,2}(?:[:：]\d{2}|时(?:\d{1,2}分)?|点(?:半)?)"
    r"|(?:当天|当日)(?:上午|下午|晚上)?"
)
TIME_VAGUE = re.compile(r"近日|日前|近期|前不久|最近|前段时间|这几天|不久前")
_TOWN = re.compile(  # 乡 before 镇/村 is 乡镇/乡村, the common nouns, not a place's end
    rf"{_H}{{2,10}}?(?:苏木|镇|乡(?![镇村])|街道|嘎查|村|社区|社工站|社工室|养老院|敬老院|福利院|幸福院"
    rf"|儿童之家|日间照料中心|活动中心|文化广场|广场|公园|小学|中学|学校|医院|服务大厅)"
)
_TOWN_LEAD = re.compile(rf"(?:在|(?<![关由对等])于|到|赴|走进|来到|深入|前往|位于|联合){_H}")
_BOOK_TITLE = re.compile(r"《[^》\n]*》")  # a document's title names no place of the activity
PLACE_VAGUE = re.compile(r"我市|我区|我旗|我县|我盟|本市|本区|本旗|本县|当地|某地")
RECIPIENTS = re.compile(
    r"(?:独居|空巢|留守|失能|半失能|高龄|困难|特困|孤寡)?老年人|(?:独居|空巢|留守|高龄|孤寡|失能)老人"
    r"|(?:留守|困境|孤残|流动|困难家庭|农村留守)?儿童|青少年|未成年人|残疾人(?:朋友|家庭)?|困难群众|困难家庭"
    r"|低保(?:户|对象|家庭)|特困人员|社区居民|居民群众|辖区居民|居民|群众|村民|牧民|农牧民|妇女"
    r"|学生|患者|服务对象|退役军人|流浪乞讨人员|优抚对象|脱贫户|监测户|家庭照顾者|环卫工人|外卖骑手"
    r"|市民|学员|务工人员|随迁子女|一线人员家庭|一线工作人员|职工|家庭|救助对象|病患|参训社工"
)
RECIPIENT_VAGUE = re.compile(r"相关人员|有关人员|相关群体|有关群体|部分群众")
PARTICIPANTS = re.compile(
    rf"\d+(?:余)?名{_H}{{0,8}}?(?:社工|社会工作者|志愿者|党员|工作人员|干部|医生|律师|专家|教师|学生|骨干)"
    rf"|{_H}{{2,20}}?(?:民政局|民政厅|社会工作服务中心|社工服务中心|社会工作服务站|协会|服务社|事务所"
    rf"|志愿服务队|志愿者服务队|基金会|团委|妇联|残联|卫生院|派出所|司法所|党支部|党委|居委会|村委会)"
    rf"|(?:局长|副局长|厅长|副厅长|处长|主任|副主任|书记|副书记|站长|理事长|会长){_H}{{2,3}}?(?=[，、。和])"
    r"|社会工作者|社工|志愿者|工作人员|网格员|党员干部|社区工作者|专业人员|律师|医生|护士"
)
PARTICIPANT_VAGUE = re.compile(r"有关单位|相关单位|有关部门|相关部门|有关方面")


# Words that end a phrase: a place or an organisation's name never runs across them
# ("科尔沁区民政局在明仁街道" is two phrases, "联合科尔沁区民政局" a verb and a name).
_LEADING = re.compile(r"^(?:联合|会同|协同|携手|组织|邀请|由|在|于|和|与|及|同|向|为|对|到|赴"
                      r"|走进|来到|深入)+")
_PHRASE_END = re.compile(r".*(?:在|于|到|赴|和|与|及|的|、|局|厅|委|办|中心|协会|站(?!点))")
# Where one organisation's name ends and the next begins (…社工站联合市青年志愿者协会).
_JOIN = re.compile(r".*(?:联合|会同|协同|携手|和|与|及|、|在|于)")


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def _vocab() -> Vocab | None:
    try:
        return vocab()
    except lm.ModelMissing:
        # The typo check says the model is missing; the elements are still found, only
        # without word boundaries to keep spans whole.
        return None


def word_cuts(text: str) -> frozenset[int]:
    """Offsets where the text may be cut: word boundaries of the language model's words
    inside each run of Chinese characters, and every offset outside such runs."""
    cuts = set(range(len(text) + 1))
    v = _vocab()
    if v is None:
        return frozenset(cuts)
    for m in _HAN_RUN.finditer(text):
        pos = m.start()
        cuts.difference_update(range(m.start() + 1, m.end()))
        for w in segment(v, m.group()):
            pos += len(w)
            cuts.add(pos)
    return frozenset(cuts)


def _trimmed(kind: str, start: int, text: str, cuts: frozenset[int]) -> tuple[int, str]:
    """The mention cut to its phrase: leading verbs and prepositions off, and for a place
    only what follows the last phrase boundary inside it — only where that is a word of its
    own (the 和 of 呼和浩特市 is no boundary, the 和 of 社工和志愿者 is)."""
    lead = _LEADING.match(text)
    if lead and len(text) - lead.end() >= 2 and start + lead.end() in cuts:
        start, text = start + lead.end(), text[lead.end():]
    inner_rx = {"place": _PHRASE_END, "participants": _JOIN}.get(kind)
    if inner_rx is not None:
        inner = inner_rx.match(text[:-1])
        while inner and start + inner.end() not in cuts:
            inner = inner_rx.match(text[:inner.end() - 1])
        if inner and len(text) - inner.end() >= 2:
            start, text = start + inner.end(), text[inner.end():]
    return start, text


def _whole(start: int, end: int, cuts: frozenset[int]) -> bool:
    """A mention neither begins nor ends inside a word (市民 in 乌兰浩特市民政局, 学生 in
    大学生志愿者)."""
    return start in cuts and end in cuts


def _mentions(rx: re.Pattern[str], kind: str, text: str, cuts: frozenset[int],
              vague: bool = False) -> list[Mention]:
    out = []
    for m in rx.finditer(text):
        start, found = _trimmed(kind, m.start(), m.group(), cuts)
        if _whole(start, start + len(found), cuts):
            out.append(Mention(kind, start, start + len(found), found, vague))
    return out


def _towns(text: str, cuts: frozenset[int]) -> list[Mention]:
    out = []
    titles = [m.span() for m in _BOOK_TITLE.finditer(text)]
    for lead in _TOWN_LEAD.finditer(text):
        if any(s <= lead.start() < e for s, e in titles):
            continue
        m = _TOWN.match(text, lead.end() - 1)
        if m and not re.search(r"开展|举办|组织|为|向|对", m.group()):
            start, found = _trimmed("place", m.start(), m.group(), cuts)
            if _whole(start, start + len(found), cuts):
                out.append(Mention("place", start, start + len(found), found))
    return out


def extract(text: str) -> dict[str, list[Mention]]:
    c = word_cuts(text)
    found = {
        "time": _mentions(TIME, "time", text, c) + _mentions(TIME_VAGUE, "time", text, c, True),
        "place": _mentions(places.name_pattern(), "place", text, c) + _towns(text, c)
        + _mentions(PLACE_VAGUE, "place", text, c, True),
        "recipients": _mentions(RECIPIENTS, "recipients", text, c)
        + _mentions(RECIPIENT_VAGUE, "recipients", text, c, True),
        "participants": [m for m in _mentions(PARTICIPANTS, "participants", text, c)
                         if not _titled_word(m.text)]
        + _mentions(PARTICIPANT_VAGUE, "participants", text, c, True),
    }
    for kind, ms in found.items():
        found[kind] = _dedupe(ms)
    return found


_TITLE_FIRST = re.compile(
    r"^(?:局长|副局长|厅长|副厅长|处长|主任|副主任|书记|副书记|站长|理事长|会长)")


def _titled_word(text: str) -> bool:
    """A title before a common word is no person (站长介绍, 主任表示): names are not words
    writers use every day."""
    m = _TITLE_FIRST.match(text)
    v = _vocab()
    return bool(m) and v is not None and v.strong(text[m.end():])


def _dedupe(ms: list[Mention]) -> list[Mention]:
    """Drop mentions inside a longer one (呼和浩特 inside 呼和浩特市…)."""
    ms = sorted(ms, key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    for m in ms:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


LABELS = {"time": "时间", "place": "地点", "recipients": "服务对象", "participants": "参与人员"}


def _allowed(context: Context) -> frozenset[str] | None:
    if context.allowed_places is not None:
        return frozenset(places.all_place_names().get(p, p) for p in context.allowed_places)
    code = context.unit_code
    if code is None and context.unit_name:
        unit = places.unit_by_name(context.unit_name)
        code = unit.code if unit else None
    return places.places_under(code) if code else None


def check(text: str, title_len: int, context: Context | None) -> tuple[dict[str, list[Mention]],
                                                                       list[Finding]]:
    found = extract(text)
    out: list[Finding] = []
    title_span = (0, title_len) if title_len else (0, min(len(text), 1))
    for kind, ms in found.items():
        label = LABELS[kind]
        if not ms:
            out.append(Finding("element", "error", *title_span, text[slice(*title_span)], None,
                               f"缺少要素：未写明{label}。"))
        elif all(m.vague for m in ms):
            m = ms[0]
            out.append(Finding("element", "warning", m.start, m.end, m.text, None,
                               f"{label}表述模糊（“{m.text}”），请写明具体{label}。"))
    if context is not None:
        out.extend(_out_of_area(found["place"], context))
        if context.activity_place and context.activity_place not in text:
            # No suggestion: the place belongs somewhere in the text, and replacing the
            # title (the span the finding is shown on) with it was what a click once did.
            out.append(Finding("element", "warning", *title_span, text[slice(*title_span)],
                               None,
                               f"稿件中未出现关联活动登记的地点“{context.activity_place}”，"
                               f"请在正文中写明。"))
    return found, out


def _out_of_area(mentions: list[Mention], context: Context) -> list[Finding]:
    allowed = _allowed(context)
    if not allowed:
        return []
    names = places.all_place_names()
    out = []
    for m in mentions:
        full = names.get(m.text)
        if full is None or full == "内蒙古自治区" or full in allowed:
            continue
        out.append(Finding("element", "warning", m.start, m.end, m.text, None,
                           f"地点“{m.text}”不在报送单位的辖区内，请核实。"))
    return out
