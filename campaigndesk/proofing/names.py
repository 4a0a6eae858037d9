"""Spans that the typo guesser must leave alone: people's names and place names.

Names are made of arbitrary characters, so "张丽" would otherwise be "corrected" to 张力.
"""

from __future__ import annotations

import re

from . import places

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘"
    "祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟"
    "艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞"
    "姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池乐鄂"
)
TITLES = (
    "局长|副局长|厅长|副厅长|处长|副处长|科长|副科长|主任|副主任|书记|副书记|站长|理事长|秘书长|"
    "会长|院长|所长|社工|社会工作者|志愿者|同志|老人|大爷|大娘|大妈|奶奶|爷爷|阿姨|叔叔|老师|医生|"
    "说|表示|介绍|告诉|感慨|一家|家中|家里|等人|等"
)
_NAME_BEFORE_TITLE = re.compile(rf"[{SURNAMES}][\u4e00-\u9fff]{{1,2}}(?=(?:{TITLES}))")
_NAME_AFTER_TITLE = re.compile(
    rf"(?:局长|主任|书记|社工|志愿者|老人|居民|村民|牧民|学生|儿童|站长|会长|理事长)"
    rf"([{SURNAMES}][\u4e00-\u9fff]{{1,2}})(?=[，。、（(：:“”\s和]|$)"
)
# Mongolian names are often long transliterations written with a middle dot.
_DOT_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}[·•][\u4e00-\u9fff]{1,8}")
# Unfamiliar names of people (Mongolian names have no Han surname) after a role word, up to
# what usually follows a name, a verb of saying or doing (not 和, 的 or a comma: "老人送去
# 纸尿库和" would make 送去纸尿库 a name, and a name is protected wherever it recurs).
_ROLE_NAME = re.compile(
    r"(?:牧民|村民|居民|市民|老人|社工|志愿者|患者|学生|学员|残疾人|困难户|低保户|家长|小朋友|"
    r"孩子|书记|主任|院长|站长|所长|民警|医生|老师|岁的)"
    r"([\u4e00-\u9fff]{2,6}?)(?=说|表示|介绍|告诉|感慨|激动|笑着|高兴|用|带领|一边|握着|"
    r"骑|了解|蹲|拉着|主动|随即|一起|正在|今年|已经)"
)
# The proper part of a town, street, village, pasture or organisation name: 敖勒召其(镇),
# 盛乐(社会工作…), (双河镇)郝家窑(村), 巴彦锡勒(牧场), 明仁(派出所).
_PROPER = re.compile(
    r"(?:[在到赴进入于、，和与及区旗县市盟自镇乡]|走进|来到|深入|联合|组织|邀请|苏木)"
    r"([\u4e00-\u9fff]{2,6}?)(?=镇|乡|街道|苏木|嘎查|村|社区|社会工作服务中心|社工服务中心|协会|"
    r"服务中心|牧场|农场|林场|派出所|卫生院|医院|学校|小学|中学|幼儿园|集团|公司|敬老院|幸福院)"
)
# Mongolian names written in Han characters (额尔敦巴雅尔, 孟和吉日嘎拉, 萨仁图雅) use a small
# set of characters for their sounds and have no surname or dot to mark them: a run of
# three or more such characters with at least two of the most typical is taken as a name.
_TRANSLIT_CHARS = (
    "阿巴宝贝毕必博布查朝楚达丹德都敦多额尔恩噶嘎甘高戈格根古哈海罕浩和赫呼胡花吉金卡克拉来兰"
    "勒力丽鲁伦玛满曼孟蒙米敏莫木穆那纳娜乃尼宁诺其琪齐钦琴庆日荣萨赛桑森沙胜什苏塔泰陶特腾图"
    "吐托乌旺希锡喜仙祥秀雅亚扬伊音英玉扎札召珠卓斯楞仁旭彦拜云敖登乐坦仓包青")
_TRANSLIT_TYPICAL = frozenset(
    "尔巴雅敦娜琴嘎噶勒乌额楞塔图格斯赛苏其宝特吉布达日木那根拉玛珠扎札卓诺钦毕敖坦")
_TRANSLIT = re.compile(f"[{_TRANSLIT_CHARS}]{{3,9}}")
_TITLED = re.compile(r"《[^》\n]{1,30}》")  # titles of works, laws and documents: names
_QUOTED = re.compile(r"“[^”\n]{1,30}”")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Text in “…”: slogans, activity names and quotations, often coined wording."""
    return [m.span() for m in _QUOTED.finditer(text)]


def protected_spans(text: str, quotes: bool = True) -> list[tuple[int, int]]:
    """Names of people, places, organisations and works, and (with `quotes`) quoted text."""
    spans = quoted_spans(text) if quotes else []
    for rx in (_NAME_BEFORE_TITLE, _DOT_NAME, places.name_pattern(), _TITLED):
        spans.extend(m.span() for m in rx.finditer(text))
    spans.extend(m.span() for m in _TRANSLIT.finditer(text)
                 if sum(c in _TRANSLIT_TYPICAL for c in m.group()) >= 2)
    named = []
    for rx in (_NAME_AFTER_TITLE, _ROLE_NAME, _PROPER):
        for m in rx.finditer(text):
            spans.append(m.span(1))
            named.append(m.group(1))
    # A name recognised once is a name wherever the brief repeats it: "宝力根街道社工站"
    # at the start of a sentence has nothing before it that marks it as a name.
    for name in set(named):
        start = text.find(name)
        while start != -1:
            spans.append((start, start + len(name)))
            start = text.find(name, start + len(name))
    return spans
