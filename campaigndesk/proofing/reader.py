"""Reading a brief from a file: .txt (first line is the title) or .docx."""

from __future__ import annotations

import zipfile
from pathlib import Path


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
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("不是 UTF-8 编码的文本") from exc
    except OSError as exc:
        raise UnreadableFile(exc.strerror or str(exc)) from exc
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise UnreadableFile("文件为空")
    return lines[0].strip(), "\n".join(ln.rstrip() for ln in lines[1:]).strip("\n")


def _read_docx(p: Path) -> tuple[str, str]:
    import docx  # python-docx; imported lazily, only .docx needs it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(p))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile("不是有效的 .docx 文件") from exc
    paras = [(para.text.strip(), (para.style.name if para.style is not None else "") or "")
             for para in document.paragraphs]
    paras = [(t, s) for t, s in paras if t]
    if not paras:
        raise UnreadableFile("文档中没有文字")
    # The first heading is the title; without headings, the first paragraph is.
    idx = next((i for i, (_, style) in enumerate(paras)
                if style.startswith(("Heading", "Title", "标题"))), 0)
    title = paras[idx][0]
    body = "\n".join(t for i, (t, _) in enumerate(paras) if i != idx)
    return title, body
