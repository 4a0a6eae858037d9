"""Characters no stored text should hold, for every way in and every writer (plain Python).

Two kinds, treated differently:

- Control characters (C0 other than tab and line breaks, DEL, C1). Nobody types them on
  purpose: they come from pasting out of other programs or from scripts. A form refuses them
  naming the field (`control_message`), so the writer sees where they are; the .docx, .xlsx,
  .pdf and .csv writers drop them (`printable`), because python-docx refuses them outright
  (ValueError: All strings must be XML compatible), Excel shows them as _x0007_, and texts
  stored before the forms refused them must still export.
- Invisible format characters (zero-width space/joiner/non-joiner, word joiner, soft hyphen,
  BOM, bidi embeddings, overrides, isolates and marks). They show nothing but split words
  ("核\u200b算检测" hides a typo from the proofreader and from a search) or reverse what
  follows (an RLO turns a title and the list after it around). They are removed when text is
  stored (`without_invisible`, called by the brief's canonical text), and the user is told
  how many. A zero-width joiner inside an emoji sequence (👨‍👩‍👧) and the joiners of
  Mongolian script, which shape its letters, are kept.
"""

from __future__ import annotations

import re

# \t, \n and \r stay: tabs and line breaks are text (\r becomes \n where text is canonical).
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# XML 1.0 (the .docx and .xlsx formats) also refuses these non-characters and lone
# surrogates; no form sends a lone surrogate, but a writer must not fail on one.
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

ZWJ, ZWNJ = "\u200d", "\u200c"
INVISIBLE = ("\u00ad"  # soft hyphen
             "\u061c"  # Arabic letter mark (a bidi mark)
             "\u200b\u200c\u200d"  # zero-width space, non-joiner, joiner
             "\u200e\u200f"  # left-to-right and right-to-left marks
             "\u202a-\u202e"  # bidi embeddings and overrides
             "\u2060"  # word joiner
             "\u2066-\u2069"  # bidi isolates
             "\ufeff")  # BOM / zero-width no-break space
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")


def _is_emoji(char: str) -> bool:
    """A character an emoji ZWJ sequence joins (or that ends the emoji before a joiner: a
    skin tone, the emoji presentation selector). Ranges as Unicode's Extended_Pictographic,
    which Python's unicodedata does not expose."""
    code = ord(char)
    return (0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or 0x2300 <= code <= 0x23FF
            or 0x2B00 <= code <= 0x2BFF or code in (0xFE0F, 0x20E3, 0x00A9, 0x00AE, 0x2640,
                                                   0x2642, 0x2695, 0x2696, 0x2708))


def _is_joining_script(char: str) -> bool:
    """Mongolian (and the Arabic script of Uyghur and Kazakh): ZWJ and ZWNJ choose the
    letters' forms there, so removing them would change how a name is written."""
    code = ord(char)
    return 0x1800 <= code <= 0x18AF or 0x11660 <= code <= 0x1167F or 0x0600 <= code <= 0x06FF


def _kept(text: str, index: int) -> bool:
    char = text[index]
    if char not in (ZWJ, ZWNJ):
        return False
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if char == ZWJ and before and after and _is_emoji(before) and _is_emoji(after):
        return True
    return any(c and _is_joining_script(c) for c in (before, after))


def invisible_count(text: str) -> int:
    """How many characters without_invisible removes."""
    return sum(1 for m in INVISIBLE_RE.finditer(text) if not _kept(text, m.start()))


def without_invisible(text: str) -> str:
    """The text without invisible format characters (the kept joiners stay)."""
    if not INVISIBLE_RE.search(text):
        return text
    return "".join(c for i, c in enumerate(text)
                   if not (INVISIBLE_RE.match(c) and not _kept(text, i)))


def first_control(text: str) -> str | None:
    """The first control character, as U+XXXX (what a user can look up), or None."""
    match = CONTROL_RE.search(text)
    return f"U+{ord(match.group()):04X}" if match else None


# What a user can look up: the abbreviation Unicode and ASCII tables use, and a Chinese
# name for those that have a common one. The message used to call every control character
# in a text a NUL when the first one was (空字符（NUL）…共 2 个 for a NUL, an ESC and a VT).
_ABBREVIATIONS = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 "
                  "DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US").split()
_CHINESE = {0x07: "响铃符", 0x08: "退格符", 0x0B: "垂直制表符",
            0x0C: "换页符", 0x1A: "替换符", 0x1B: "转义符", 0x7F: "删除符", 0x85: "下一行符"}


def character_name(char: str) -> str:
    """"空字符（NUL，U+0000）", "控制字符 ESC（转义符，U+001B）", "控制字符 SOH（U+0001）",
    "控制字符（U+0090）"."""
    code = ord(char)
    if code == 0:
        return "空字符（NUL，U+0000）"
    abbreviation = (_ABBREVIATIONS[code] if code < 0x20 else "DEL" if code == 0x7F
                    else "NEL" if code == 0x85 else "")
    inner = f"{_CHINESE[code]}，U+{code:04X}" if code in _CHINESE else f"U+{code:04X}"
    return f"控制字符 {abbreviation}（{inner}）" if abbreviation else f"控制字符（{inner}）"


def control_description(text: str, label: str) -> str | None:
    """Where the first control character of a text is and what each kind is, naming the
    field: "“正文”第 5 个字处有 3 个不可显示的字符：空字符（NUL，U+0000）、转义符（ESC，
    U+001B）2 个", or None when there is none."""
    found = CONTROL_RE.findall(text)
    if not found:
        return None
    start = CONTROL_RE.search(text).start() + 1
    kinds = dict.fromkeys(found)
    if len(found) == 1:
        return f"“{label}”第 {start} 个字处有不可显示的{character_name(found[0])}"
    named = "、".join(character_name(c) + (f" {found.count(c)} 个" if found.count(c) > 1 else "")
                     for c in kinds)
    return f"“{label}”第 {start} 个字处起有 {len(found)} 个不可显示的字符：{named}"


def control_message(text: str, label: str) -> str | None:
    """The refusal of a text holding control characters, naming the field, where the
    first one is (they cannot be seen, so "delete it" needs a place) and each kind, or
    None."""
    described = control_description(text, label)
    if described is None:
        return None
    return f"{described}，通常是从其他程序复制时带入的，请删除后再保存"


def without_control(text: str) -> str:
    """The text without control characters (tabs and line breaks stay)."""
    return CONTROL_RE.sub("", text)


def printable(value: object) -> str:
    """Text for a writer (.docx, .xlsx, .pdf, .csv): without control characters and without
    what XML cannot hold, whatever was stored. Tabs and line breaks stay."""
    text = "" if value is None else str(value)
    if CONTROL_RE.search(text) or XML_ILLEGAL_RE.search(text):
        text = XML_ILLEGAL_RE.sub("", CONTROL_RE.sub("", text))
    return text
