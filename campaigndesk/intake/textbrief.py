"""A brief sent as plain text (.txt, or the mail's own text beside its photos).

Notepad on Chinese Windows saves GBK without saying so; newer editors UTF-8, with or
without a BOM. The first line is the title when it reads like one (short), otherwise
the mail's subject is.
"""

from campaigndesk.core.characters import printable
from campaigndesk.proofing.reader import UnreadableFile, decode_text

TITLE_MAX = 60


def decode(data: bytes) -> str:
    """The proofreader's reading of a text file (UTF-8, UTF-16 with a BOM, GBK); a mail's
    text that none of them reads is still kept, with the bad bytes replaced."""
    try:
        return decode_text(data)
    except UnreadableFile:
        return data.decode("gb18030", errors="replace")


def title_and_body(data: bytes, subject: str = "") -> tuple[str, str]:
    # A mailed file's control characters are nothing its sender can see: dropped here
    # (the form would refuse them; there is no form to correct them in).
    text = printable(decode(data))
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if lines and len(lines[0]) <= TITLE_MAX:
        return lines[0], "\n".join(lines[1:])
    return (subject.strip() or "邮件报送的稿件")[:200], "\n".join(lines)
