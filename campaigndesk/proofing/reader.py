"""Reading a brief from a file: .txt (first line is the title) or .docx.

``docx_blocks`` is the one walk over a Word document, shared with the web's Word import
(campaigndesk.articles.docx_import), which adds the pictures' checks and captions.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"  # DrawingML picture
VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"  # pictures of .doc-era files, WPS
TEXT_BOX = f"{_W}txbxContent"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Form-like briefs, a table of label | value (标题 | …, 报送单位 | …, 正文 | …): the value
# of a title label is the title, of a body label part of the text, of the others (who
# sent it, phone, signed by) not part of the brief; label cells themselves are not text.
TITLE_LABELS = frozenset({"标题", "题目", "信息标题", "简讯标题", "新闻标题", "稿件标题"})
BODY_LABELS = frozenset({"正文", "内容", "信息内容", "简讯内容", "稿件内容", "图片", "照片",
                         "配图", "图片说明"})
META_LABELS = frozenset({
    "报送单位", "单位", "供稿单位", "投稿单位", "作者", "撰稿人", "撰稿", "供稿人", "联系人",
    "联系电话", "电话", "手机", "审核人", "审核", "签发人", "签发", "报送时间", "报送日期",
    "备注",
})
LABELS = TITLE_LABELS | BODY_LABELS | META_LABELS


class UnreadableFile(Exception):
    """The file is missing, of an unsupported kind, or its content cannot be decoded."""


def read_brief(path: str | Path) -> tuple[str, str]:
    p = Path(path)
    if not p.is_file():
        raise UnreadableFile("文件不存在" if not p.exists() else "不是文件")
    suffix = p.suffix.lower()
    if suffix == ".docx":
        return _read_docx(p)
    if suffix in (".txt", ".text", ""):
        return _read_txt(p)
    raise UnreadableFile(f"不支持的文件类型“{p.suffix}”（仅支持 .txt 和 .docx）")


def _read_txt(p: Path) -> tuple[str, str]:
    try:
        text = decode_text(p.read_bytes())
    except OSError as exc:
        raise UnreadableFile(exc.strerror or str(exc)) from exc
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise UnreadableFile("文件为空")
    return lines[0].strip(), "\n".join(ln.rstrip() for ln in lines[1:]).strip("\n")


def decode_text(data: bytes) -> str:
    """Text as Chinese office PCs save it: UTF-8 (with or without BOM), UTF-16 with a BOM
    (Notepad's "Unicode"), or GBK/GB18030 (older Notepad and many Chinese tools)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile("文本文件编码无法识别") from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("文本文件编码无法识别（请保存为 UTF-8 或 GBK）")


def is_title(style: str) -> bool:
    return style.startswith(("Heading", "Title", "标题"))


def docx_blocks(document) -> list[Block]:
    """The blocks of a python-docx Document in reading order (see _Walker)."""
    return _Walker(document).blocks


def _read_docx(p: Path) -> tuple[str, str]:
    import docx  # python-docx; imported lazily, only .docx needs it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(p))
        blocks = docx_blocks(document)
    except SyntaxError as exc:  # lxml's XML errors, an entity bomb among them
        raise UnreadableFile("文档内部结构异常（XML 损坏或含实体定义），已拒绝读取") from exc
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile("不是有效的 .docx 文件") from exc
    paras = [(b.text, b.style) for b in blocks if b.text]
    if not paras:
        raise UnreadableFile("文档中没有文字")
    # The first heading is the title; without headings, the first paragraph is.
    idx = next((i for i, (_, style) in enumerate(paras) if is_title(style)), 0)
    title = paras[idx][0]
    body = "\n".join(t for i, (t, _) in enumerate(paras) if i != idx)
    return title, body


@dataclass
class Block:
    text: str
    style: str
    images: list[bytes]
    centred: bool


class _Walker:
    """The document's blocks in reading order: body paragraphs and the paragraphs of table
    cells (a merged cell once), text boxes after the paragraph holding them. Pictures
    come from DrawingML and from VML; what sits in an mc:Fallback is the same content for
    older readers, so it is skipped, and a picture used twice is taken once."""

    def __init__(self, document) -> None:
        self.part = document.part
        self.seen_parts: set[int] = set()
        self.seen_cells: list = []  # kept referenced, so identity checks hold
        self.blocks: list[Block] = []
        self._walk(document)

    def _walk(self, container) -> None:
        for item in container.iter_inner_content():
            if item.__class__.__name__ == "Table":
                self._table(item)
            else:
                self._paragraph(item)

    def _table(self, table) -> None:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                if not any(cell._tc is seen for seen in self.seen_cells):
                    self.seen_cells.append(cell._tc)
                    cells.append(cell)
            label = ""
            for cell in cells:
                text = _label(cell.text)
                if text in LABELS:
                    label = text
                    continue
                if label in META_LABELS:
                    label = ""
                    continue
                before = len(self.blocks)
                self._walk(cell)
                if label in TITLE_LABELS:
                    for block in self.blocks[before:]:
                        if block.text:
                            block.style = "Title"
                            break
                label = ""

    def _paragraph(self, para) -> None:
        images = []
        for element in para._p.iter(BLIP, VML_IMAGE):
            if _in_fallback(element):
                continue
            rel = element.get(f"{_R}embed") if element.tag == BLIP else element.get(f"{_R}id")
            target = self.part.related_parts.get(rel) if rel else None
            if target is not None and id(target) not in self.seen_parts:
                self.seen_parts.add(id(target))
                images.append(target.blob)
        style = para.style.name if para.style is not None else ""
        centred = para.alignment is not None and int(para.alignment) == 1
        self.blocks.append(Block(para.text.strip(), style or "", images, centred))
        for box in para._p.iter(TEXT_BOX):
            if _in_fallback(box):
                continue
            for inner in box.iter(f"{_W}p"):
                text = "".join(t.text or "" for t in inner.iter(f"{_W}t")).strip()
                if text:
                    self.blocks.append(Block(text, "", [], False))


def _in_fallback(element) -> bool:
    return any(True for _ in element.iterancestors(FALLBACK))


def _label(text: str) -> str:
    return "".join(text.split()).rstrip(":：")
