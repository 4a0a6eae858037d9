"""Make corpus/injected.jsonl from the clean briefs (developer tool; deterministic).

Each case is one clean brief with exactly one injected error, labelled with its category and
span. Unlisted typos are made with pycorrector's same-sound (same tone) and similar-shape
tables, a different source from the detector's own pinyin table, and are checked to be absent
from the confusion list. Run: python -m campaigndesk.proofing._build_corpus
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import asdict

from . import places
from ._build_confusions import _same_tone
from .corpus import CORPUS, Brief, Case, Label, load_clean
from .elements import TIME
from .lexicon import lexicon, read_data_lines
from .names import protected_spans
from .typos import confusions

Inject = Callable[[Brief, random.Random], Case | None]


def _case(b: Brief, kind: str, title: str, body: str, labels: list[Label],
          context: dict[str, object] | None = None) -> Case:
    return Case(f"{b.brief_id}-{kind}", b.brief_id, b.part, b.unit, title, body, labels,
                context or {})


def _replace(b: Brief, kind: str, cat: str, old: str, new: str, rng: random.Random,
             sub: str = "", context: dict[str, object] | None = None,
             label_text: str | None = None) -> Case | None:
    """Replace one occurrence of `old` in the body; label the new text (or label_text in it)."""
    starts = [m.start() for m in re.finditer(re.escape(old), b.body)]
    if not starts:
        return None
    s = rng.choice(starts)
    body = b.body[:s] + new + b.body[s + len(old):]
    off = len(b.title) + 1 + s
    lt = label_text or new
    i = new.index(lt)
    return _case(b, kind, b.title, body, [Label(cat, off + i, off + i + len(lt), lt, sub)],
                 context)


def _insert(b: Brief, kind: str, cat: str, sentence: str, bad: str, sub: str = "") -> Case:
    """Add a sentence at the end of the first paragraph; label `bad` inside it."""
    first_end = b.body.find("\n")
    first_end = len(b.body) if first_end < 0 else first_end
    body = b.body[:first_end] + sentence + b.body[first_end:]
    off = len(b.title) + 1 + first_end + sentence.index(bad)
    return _case(b, kind, b.title, body, [Label(cat, off, off + len(bad), bad, sub)])


# ---- typos ------------------------------------------------------------------------------

def _tokens(b: Brief) -> list[tuple[int, str]]:
    lx = lexicon()
    out, pos = [], 0
    for tok in lx.lcut(b.body):
        out.append((pos, tok))
        pos += len(tok)
    return out


def listed_typo(b: Brief, rng: random.Random) -> Case | None:
    conf = confusions()
    present = [(w, r) for w, r in zip(conf.wrong, conf.right, strict=True)
               if r in b.body and len(r) >= 2]
    rng.shuffle(present)
    for wrong, right in present[:5]:
        c = _replace(b, "typo-listed", "typo", right, wrong, rng, "listed")
        if c:
            return c
    idioms = [(w, r) for w, r in zip(conf.wrong, conf.right, strict=True) if len(r) == 4]
    wrong, right = rng.choice(idioms)
    return _insert(b, "typo-listed", "typo", f"大家表示，要发扬{wrong}的精神。", wrong, "listed")


def _shape_groups() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in read_data_lines("same_stroke.txt"):
        g = [c for c in line.split("\t") if c]
        for c in g:
            out.setdefault(c, set()).update(x for x in g if x != c)
    return out


def unlisted_typo(b: Brief, rng: random.Random) -> Case | None:
    lx = lexicon()
    conf = set(confusions().wrong)
    sound, shape = _same_tone(), _shape_groups()
    protected = set()
    text = b.title + "\n" + b.body
    for s, e in protected_spans(text):
        protected.update(range(s - len(b.title) - 1, e - len(b.title) - 1))
    toks = [(p, t) for p, t in _tokens(b) if 2 <= len(t) <= 4 and lx.freq.get(t, 0) >= 200
            and not any(p + k in protected for k in range(len(t)))]
    rng.shuffle(toks)
    for pos, tok in toks:
        i = rng.randrange(len(tok))
        table = shape if rng.random() < 0.3 else sound
        # sorted: set order changes between runs and the corpus must be reproducible
        alts = sorted(c for c in table.get(tok[i], "") if c in lx.common)
        rng.shuffle(alts)
        for alt in alts:
            wrong = tok[:i] + alt + tok[i + 1:]
            if wrong in lx.freq or any(wrong in w or w in wrong for w in conf if len(w) > 1
                                       and (w in wrong)):
                continue
            body = b.body[:pos] + wrong + b.body[pos + len(tok):]
            off = len(b.title) + 1 + pos
            return _case(b, "typo-unlisted", b.title, body,
                         [Label("typo", off + i, off + i + 1, alt, "unlisted")])
    return None


# ---- wording, sensitive -----------------------------------------------------------------

WORDING_SNIPPETS = [
    ("社工们表示，将切实树立“四个自信”，立足岗位做好服务。", "树立“四个自信”"),
    ("活动引导社工坚定“四个意识”，不断提升服务水平。", "坚定“四个意识”"),
    ("全体社工将自觉增强“两个维护”，扎实做好本职工作。", "增强“两个维护”"),
    ("大家要深刻认识“两个确立”的重大意义。", "重大意义"),
    ("社工们表示，要以新时代中国特色社会主义思想为指导开展服务。", "新时代中国特色社会主义思想"),
    ("习总书记关于社会工作的重要指示精神为我们指明了方向。", "习总书记"),
    ("社工们认真学习了习总关于民政工作的重要论述。", "习总"),
    ("活动以喜迎二十大为主线，营造了良好氛围。", "二十大"),
    ("此次活动得到了国家民政部有关司局的关注。", "国家民政部"),
    ("活动成果将报送至自治区民政局。", "自治区民政局"),
    ("参加活动的有汉族、蒙族等各族群众。", "蒙族"),
    ("活动充分体现了筑牢中华民族共同体意识的要求。", "筑牢中华民族共同体意识"),
    ("社工们坚持以习近平总书记为核心的党中央的领导。", "总书记"),
    ("社工站将继续发挥道路自信、理论自信、文化自信、制度自信的引领作用。",
     "道路自信、理论自信、文化自信、制度自信"),
    ("活动践行了富强、民主、文明、和谐、自由、平等、公正、法治、爱国、敬业、友善、诚信的要求。",
     "富强、民主、文明、和谐、自由、平等、公正、法治、爱国、敬业、友善、诚信"),
    ("社工们学习了习近平新时代中国特色社会主义理论。", "习近平新时代中国特色社会主义理论"),
    ("活动中，社工们重温了十九届六中全会精神。", "十九届六中全会"),
    ("社工们决心牢记初心、不忘使命，做好服务。", "牢记初心、不忘使命"),
    ("活动主题为“五社联动聚和力 社工服务暖基层”。", "聚和力"),
    ("活动主题为“五社联动聚合力 社工服务暖人心”。", "暖人心"),
    ("活动材料已报送内蒙民政厅。", "内蒙"),
    ("党中央国务院高度重视社会工作发展。", "党中央国务院"),
    ("社工们表示要满怀信心奋进新时代。", "满怀信心奋进新时代"),
    ("社工们表示要全面建设小康社会。", "全面建设小康社会"),
    ("我们将贯彻落实中央八项规定，节俭办活动。", "中央八项规定"),
    ("社工站联动社区、社会组织、社会工作者、社区志愿者、社会爱心资源，形成了“五社联动”合力。",
     "社区、社会组织、社会工作者、社区志愿者、社会爱心资源"),
]
RENAMED = {"通辽市": "哲里木盟", "赤峰市": "昭乌达盟", "鄂尔多斯市": "伊克昭盟",
           "呼伦贝尔市": "呼伦贝尔盟", "乌兰察布市": "乌兰察布盟", "巴彦淖尔市": "巴彦淖尔盟",
           "集宁区": "集宁市", "临河区": "临河市", "东胜区": "东胜区", "海拉尔区": "海拉尔市"}


def wording(b: Brief, rng: random.Random) -> Case | None:
    opts: list[Callable[[], Case | None]] = []
    for new, old in RENAMED.items():
        if new in b.body and new != old:
            opts.append(lambda n=new, o=old: _replace(b, "wording", "wording", n, o, rng))
    unit = next(d for d in places.divisions() if d.code == b.unit)
    if unit.name.endswith("市") and unit.name + "民政局" in b.body:
        bare = unit.name[:-1]
        opts.append(lambda: _replace(b, "wording", "wording", unit.name + "民政局",
                                     bare + "民政局", rng))
    snippet, bad = rng.choice(WORDING_SNIPPETS)
    opts.append(lambda: _insert(b, "wording", "wording", snippet, bad))
    return rng.choice(opts)()


SENSITIVE_REPLACE = [("残疾人", "残废人"), ("困难群众", "穷人"), ("盲人", "瞎子"),
                     ("调研", "视察"), ("救助", "施舍")]
SENSITIVE_SNIPPETS = [
    ("一位老人说：“社工真给力，比自家孩子还贴心。”", "给力"),
    ("社区里的傻子也被社工照顾得很好。", "傻子"),
    ("这是全区第一个开展此类服务的社工站。", "全区第一"),
    ("活动规模创下史上最大纪录。", "史上最"),
    ("旗领导莅临指导，对活动给予肯定。", "莅临指导"),
    ("社工们照顾了村里的几位聋子老人。", "聋子"),
    ("活动做到了零投诉。", "零投诉"),
    ("受助群众对社工感恩戴德。", "感恩戴德"),
    ("社工为村里的孤寡老人送去了慰问品。", "孤寡老人"),
    ("活动中，社工们帮助了一名精神病人回归家庭。", "精神病人"),
    ("社工们为几位瘸子老人检查了辅助器具。", "瘸子"),
    ("居民们纷纷为社工打call。", "打call"),
]


def sensitive(b: Brief, rng: random.Random) -> Case | None:
    present = [(o, n) for o, n in SENSITIVE_REPLACE if o in b.body]
    if present and rng.random() < 0.4:
        old, new = rng.choice(present)
        return _replace(b, "sensitive", "sensitive", old, new, rng)
    snippet, bad = rng.choice(SENSITIVE_SNIPPETS)
    return _insert(b, "sensitive", "sensitive", snippet, bad)


# ---- punctuation, numbers ---------------------------------------------------------------

def punctuation(b: Brief, rng: random.Random) -> Case | None:
    kind = rng.choice(["comma", "period", "doubled", "quote", "paren", "ellipsis", "dash"])
    if kind == "comma":
        return _replace(b, "punct", "punctuation", "，", ",", rng)
    if kind == "period":
        m = [x.start() for x in re.finditer(r"(?<=[\u4e00-\u9fff])。(?=[\u4e00-\u9fff])", b.body)]
        if not m:
            return _replace(b, "punct", "punctuation", "，", "，，", rng)
        return _replace_at(b, rng.choice(m), "。", ".")
    if kind == "doubled":
        return _replace(b, "punct", "punctuation", "，", "，，", rng)
    if kind == "quote":
        q = [x.start() for x in re.finditer("”", b.body)]
        if q:
            s = rng.choice(q)
            body = b.body[:s] + b.body[s + 1:]
            opener = b.body.rfind("“", 0, s)
            off = len(b.title) + 1 + opener
            return _case(b, "punct", b.title, body, [Label("punctuation", off, off + 1, "“")])
        return _replace(b, "punct", "punctuation", "，", ",", rng)
    if kind == "paren":
        c = _insert(b, "punct", "punctuation", "活动由社工站(社工室)承办。", "(")
        lab = c.labels[0]
        c.labels.append(Label("punctuation", lab.start + 4, lab.start + 5, ")"))
        return c
    if kind == "ellipsis":
        return _insert(b, "punct", "punctuation", "社工们为老人读报、唱歌、聊天...气氛融洽。",
                       "...")
    c = _insert(b, "punct", "punctuation", "这次活动-一次温暖的相聚-让人难忘。", "-")
    lab = c.labels[0]
    c.labels.append(Label("punctuation", lab.start + 8, lab.start + 9, "-"))
    return c


def _replace_at(b: Brief, s: int, old: str, new: str) -> Case:
    body = b.body[:s] + new + b.body[s + len(old):]
    off = len(b.title) + 1 + s
    return _case(b, "punct", b.title, body, [Label("punctuation", off, off + len(new), new)])


def number(b: Brief, rng: random.Random) -> Case | None:
    kind = rng.choice(["future", "outside", "mixed", "thousands", "approx", "year", "invalid",
                       "figure"])
    dates = list(re.finditer(r"3月(\d{1,2})日", b.body))
    counts = list(re.finditer(r"(\d{3,4})余(?:份|人次|户)", b.body))
    if kind == "future" and dates:
        m = rng.choice(dates)
        return _replace_span(b, m.start(), m.end(), f"4月{m[1]}日", "number")
    if kind == "outside" and dates:
        m = rng.choice(dates)
        return _replace_span(b, m.start(), m.end(), "3月8日", "number")
    if kind == "invalid" and dates:
        m = rng.choice(dates)
        return _replace_span(b, m.start(), m.end(), "3月32日", "number")
    if kind == "mixed" and counts:
        m = rng.choice(counts)
        n = int(m[1])
        new = f"{n // 100}百" if n % 100 == 0 and n < 1000 else f"{n // 1000}千{n % 1000}" \
            if n >= 1000 else f"{n // 100}百{n % 100}"
        return _replace_span(b, m.start(1), m.end(1), new, "number")
    if kind == "thousands" and any(int(m[1]) >= 1000 for m in counts):
        m = rng.choice([m for m in counts if int(m[1]) >= 1000])
        return _replace_span(b, m.start(1), m.end(1), f"{int(m[1]):,}", "number")
    if kind == "approx" and counts:
        m = rng.choice(counts)
        return _replace_span(b, m.start(1), m.end(1), "约" + m[1], "number", label_all=True,
                             extra=len("余"))
    # 服务 of 服务中心 counts nobody (issue 14: "中心的3名社工" was taken for the people served).
    if kind == "figure" and (m := re.search(
            r"(?:服务(?!中心|站|队|社)|惠及)[^，。；]{0,10}?(\d+)余?(?:人次|名|人)(?!社工|志愿者)",
            b.body)):
        real = int(m[1])
        case = _case(b, "number", b.title, b.body, [], {"activity_figures":
                                                        {"beneficiaries": real + 37}})
        off = len(b.title) + 1
        case.labels.append(Label("number", off + m.start(1), off + m.end(1), m[1]))
        return case
    return _insert(b, "number", "number", "该社工站于22年3月建成。", "22年")


def _replace_span(b: Brief, s: int, e: int, new: str, cat: str, label_all: bool = False,
                  extra: int = 0) -> Case:
    body = b.body[:s] + new + b.body[e:]
    off = len(b.title) + 1 + s
    end = off + len(new) + (extra if label_all else 0)
    text = (b.title + "\n" + body)[off:end]
    return _case(b, "number", b.title, body, [Label(cat, off, end, text)])


# ---- elements, length -------------------------------------------------------------------

def element(b: Brief, rng: random.Random) -> Case | None:
    kind = rng.choice(["vague-time", "missing-time", "outside"])
    if kind == "outside":
        others = [d for d in places.divisions() if d.level == "county"
                  and places.unit_for(d.name) != b.unit]
        other = rng.choice(others).name
        return _insert(b, "element", "element", f"{other}的社工也应邀参加了活动。", other)
    body = TIME.sub("", b.body)
    body = re.sub(r"^[，,]", "", body)
    if TIME.search(b.title):
        return None
    if kind == "vague-time":
        body = "近日，" + body
        off = len(b.title) + 1
        return _case(b, "element", b.title, body, [Label("element", off, off + 2, "近日")])
    return _case(b, "element", b.title, body,
                 [Label("element", 0, len(b.title), b.title)])


def length(b: Brief, rng: random.Random) -> Case | None:
    if rng.random() < 0.5:
        body = b.body.split("\n")[0]
        off = len(b.title) + 1
        return _case(b, "length", b.title, body, [Label("length", off, off + len(body), body)])
    body = b.body + "\n" + b.body + "\n" + b.body
    off = len(b.title) + 1 + len(b.body)  # somewhere in the repeated part
    return _case(b, "length", b.title, body,
                 [Label("length", off, len(b.title) + 1 + len(body), "")])


PLAN: list[tuple[Inject, int]] = [
    (listed_typo, 1), (unlisted_typo, 1), (wording, 1), (sensitive, 1), (punctuation, 1),
    (number, 1),
]


def build() -> list[Case]:
    rng = random.Random(20220317)
    cases: list[Case] = []
    for n, b in enumerate(load_clean()):
        for fn, times in PLAN:
            for k in range(times):
                c = fn(b, rng)
                if c:
                    c.case_id += f"-{k}"
                    cases.append(c)
        if n % 2 == 0:
            c = element(b, rng)
            if c:
                cases.append(c)
        if n % 3 == 0:
            c = length(b, rng)
            if c:
                cases.append(c)
        # a second unlisted typo on every brief: this is the category that needs most data
        c = unlisted_typo(b, random.Random(n))
        if c:
            c.case_id += "-b"
            cases.append(c)
    return cases


def main() -> None:
    cases = build()
    for c in cases:  # every label must point at its text
        full = c.title + "\n" + c.body
        for lab in c.labels:
            assert lab.category == "length" or full[lab.start:lab.end] == lab.text, (c, lab)
    lines = [json.dumps(asdict(c), ensure_ascii=False) for c in cases]
    (CORPUS / "injected.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
