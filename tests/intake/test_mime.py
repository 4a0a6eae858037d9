"""Reading messages as Chinese mail clients write them (no server needed)."""

import base64

from campaigndesk.intake import mime

from . import mails

XLSX = b"PK\x03\x04 a table"


def test_gbk_subject_and_rfc2047_file_name_as_163_writes_them():
    parsed = mime.parse(mails.message(subject="呼和浩特市第一次工作进展报送", files=[
        mails.File("呼和浩特市工作进展情况统计表.xlsx", XLSX)]))
    assert parsed.subject == "呼和浩特市第一次工作进展报送"
    assert (parsed.sender, parsed.sender_name) == ("hhht-mz@example.cn", "呼和浩特市民政局")
    assert [(p.filename, p.data) for p in parsed.parts] == [("呼和浩特市工作进展情况统计表.xlsx",
                                                             XLSX)]
    assert parsed.text == "请查收附件。"


def test_utf8_subject_and_rfc2231_names_continued_or_in_gbk():
    files = [mails.File("包头市九原区社工站宣传稿件（终稿）.docx", b"PK.", naming="rfc2231"),
             mails.File("现场照片一.jpg", b"\xff\xd8\xff", naming="rfc2231-gbk")]
    parsed = mime.parse(mails.message(subject="包头市宣传稿件：社工站开展活动",
                                      subject_charset="UTF-8", files=files))
    assert parsed.subject == "包头市宣传稿件：社工站开展活动"
    assert [p.filename for p in parsed.parts] == ["包头市九原区社工站宣传稿件（终稿）.docx",
                                                  "现场照片一.jpg"]


def test_words_labelled_gb2312_holding_gbk_characters():
    # 镕 is GBK, not GB2312; clients label such names GB2312 all the same.
    word = f"=?gb2312?B?{base64.b64encode('朱镕基社区活动'.encode('gbk')).decode()}?="
    raw = (f"From: a@example.cn\r\nSubject: {word}\r\nMessage-ID: <g@x>\r\n"
           "Content-Type: application/octet-stream; name=\"" + word + ".xlsx\"\r\n"
           "Content-Disposition: attachment; filename=\"" + word + ".xlsx\"\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n").encode()
    parsed = mime.parse(raw)
    assert parsed.subject == "朱镕基社区活动"
    assert parsed.parts[0].filename == "朱镕基社区活动.xlsx"


def test_raw_8bit_gbk_headers_of_old_clients():
    parsed = mime.parse(mails.raw_gbk_message("赤峰市工作进展", "赤峰市统计表.xls", b"\xd0\xcf"))
    assert parsed.subject == "赤峰市工作进展"
    assert parsed.parts[0].filename == "赤峰市统计表.xls"


def test_a_table_inside_a_forwarded_message_and_inside_an_attached_eml():
    inner = mails.message(subject="转：乌海市工作进展", sender="wuhai@example.cn",
                          files=[mails.File("乌海市统计表.xlsx", XLSX)])
    for forwarded in (mails.Forwarded(inner), mails.Forwarded(inner, as_eml_file="原邮件.eml")):
        parsed = mime.parse(mails.message(subject="Fw: 乌海市", files=[forwarded]))
        assert [(p.filename, p.inside, p.data) for p in parsed.parts] == [
            ("乌海市统计表.xlsx", "转：乌海市工作进展", XLSX)]


def test_path_and_control_characters_never_reach_the_name():
    parsed = mime.parse(mails.message(files=[mails.File("..\\..\\etc/统计\x07表.xlsx", XLSX)]))
    assert parsed.parts[0].filename == "统计表.xlsx"


def test_a_message_without_message_id_is_known_by_its_bytes():
    raw = mails.message(message_id=None)
    assert mime.parse(raw).message_id == mime.parse(raw).message_id
    assert mime.parse(raw).message_id.startswith("<sha256:")


def test_auto_replies_are_recognised():
    assert mime.parse(mails.message(headers=["Auto-Submitted: auto-replied"])).automatic
    assert mime.parse(mails.message(sender="MAILER-DAEMON@example.cn")).automatic
    assert not mime.parse(mails.message()).automatic
