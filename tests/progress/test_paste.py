"""A block pasted into the grid is placed by the uploads' header finder (progress.paste)."""

from campaigndesk.progress.paste import parse_tsv, place
from campaigndesk.progress.table import COLUMNS

HEADER = "\t".join(["序号"] + [c.header for c in COLUMNS])
ROW_1 = ("1\t社工宣传进社区\t赛罕区社工站\t12\t3月18日\t昭乌达路社区\t\"发放宣传册\n讲解知识\"\t"
         "老年人\t150\t0\t0\t")
ROW_2 = "2\t助残服务日\t回民区残联\t8\t3月20日\t通道街社区\t上门服务\t残疾人\t40\t0\t800\t"
TOTAL = "合计\t\t\t20\t\t\t\t\t190\t0\t800\t"


def block(*lines: str) -> list[list[str]]:
    return parse_tsv("\r\n".join(lines) + "\r\n")


def test_header_and_sequence_are_recognised_wherever_the_block_is_pasted():
    for start in ("name", "dates", "remarks"):
        placed = place(block(HEADER, ROW_1, ROW_2, TOTAL), start)
        assert placed.by_header
        assert [r["name"] for r in placed.rows] == ["社工宣传进社区", "助残服务日"]
        assert placed.rows[0]["content"] == "发放宣传册\n讲解知识"
        assert placed.rows[1]["materials"] == "800" and placed.rows[1]["participants"] == "8"
        assert "seq" not in placed.rows[0]
    assert placed.notes == ["已按表头把各列放入对应的列，表头（1 行）没有作为活动",
                            "序号列没有粘贴（保存时自动编号）",
                            "1 行合计没有作为活动（合计由各行相加得出）"]


def test_the_template_header_of_two_rows_and_the_lines_above_it():
    two_rows = "\t".join(["序号", *[c.header for c in COLUMNS[:8]], "链接资源情况", "", "备注"])
    second = "\t" * 9 + "链接资金（元）\t链接物资折价（元）\t"
    title = "盟市社会工作主题宣传活动工作进展情况统计表"
    placed = place(block(title, two_rows, second, ROW_2), "name")
    assert placed.rows == [{"name": "助残服务日", "organizations": "回民区残联",
                            "participants": "8", "dates": "3月20日", "location": "通道街社区",
                            "content": "上门服务", "service_areas": "残疾人",
                            "beneficiaries": "40", "funds": "0", "materials": "800",
                            "remarks": ""}]
    assert "表头（2 行）" in placed.notes[0] and "表头之上的 1 行" in placed.notes[1]


def test_a_sequence_column_without_header_is_dropped_only_at_the_name_column():
    placed = place(block(ROW_1, ROW_2), "name")
    assert not placed.by_header
    assert [r["name"] for r in placed.rows] == ["社工宣传进社区", "助残服务日"]
    assert placed.notes == ["第一列是序号，没有粘贴（保存时自动编号）"]
    # Numbers pasted at 参与人次 are 参与人次, 受益人次…: placed from there, nothing dropped.
    numbers = place(block("12\t3月18日", "8\t3月20日"), "participants")
    assert numbers.rows == [{"participants": "12", "dates": "3月18日"},
                            {"participants": "8", "dates": "3月20日"}]
    assert numbers.notes == []


def test_a_few_columns_copied_with_their_names():
    placed = place(block("活动名称\t参与人次\t活动开展时间", "讲座\t12\t3月18日"), "location")
    assert placed.rows == [{"name": "讲座", "participants": "12", "dates": "3月18日"}]
    # Cells that only end like column names are an activity, not a header.
    assert place(block("社区宣传活动内容\t重阳节活动时间"), "content").rows == [
        {"content": "社区宣传活动内容", "service_areas": "重阳节活动时间"}]
    # The same three cells without names go where they were pasted.
    plain = place(block("讲座\t12\t3月18日"), "name")
    assert plain.rows == [{"name": "讲座", "organizations": "12", "participants": "3月18日"}]


def test_the_page_asks_the_server(demo, personas, as_user):
    client = as_user(personas["reporter"])
    url = f"/campaigns/{demo.pk}/units/150100/progress/paste/"
    answer = client.post(url, {"block": "\r\n".join([HEADER, ROW_1]), "start": "dates"}).json()
    assert answer["by_header"] and answer["rows"][0]["name"] == "社工宣传进社区"
    assert client.get(url).status_code == 405
    huge = client.post(url, {"block": "x\t" + "长" * 200_000})  # past the csv field limit
    assert huge.status_code == 400 and huge.json()["error"]
    other = as_user(personas["other_reporter"])
    assert other.post(url, {"block": ROW_1}).status_code == 404
