"""说明 and 联系人 under the progress table, from plain dates and contacts (no database)."""

from datetime import datetime
from typing import NamedTuple

from campaigndesk.demo import NOTICE
from campaigndesk.progress.excel_out import DEFAULT_NOTES
from campaigndesk.progress.sheet_notes import deadlines_text, sheet_notes


class Contact(NamedTuple):
    name: str
    office: str = ""
    phone: str = ""
    email: str = ""


ZHANG_LU = Contact("张璐", "自治区民政厅慈善社工处", "0471-6946872", "mz6946872@163.com")


def attachment_1_notes() -> tuple[str, str]:
    """The two lines under the table in attachment 1 of the 2022 notice, as printed."""
    lines = NOTICE.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("说明："))
    return lines[at], lines[at + 1].strip()


def test_the_2022_campaign_gives_attachment_1_word_for_word():
    notes = sheet_notes([datetime(2022, 3, 31, 17), datetime(2022, 3, 24, 17)], [ZHANG_LU])
    assert notes == attachment_1_notes() == DEFAULT_NOTES


def test_a_month_is_written_once_while_it_lasts():
    assert deadlines_text([datetime(2026, 3, 24, 17), datetime(2026, 3, 31, 17)]) == \
        "3月24日、31日下午17:00"


def test_different_months_each_carry_their_month():
    assert deadlines_text([datetime(2026, 11, 27, 17), datetime(2026, 12, 4, 17)]) == \
        "11月27日、12月4日下午17:00"
    assert deadlines_text([datetime(2026, 11, 20, 17), datetime(2026, 11, 27, 17),
                           datetime(2026, 12, 4, 17)]) == "11月20日、27日、12月4日下午17:00"


def test_different_times_each_carry_their_time():
    assert deadlines_text([datetime(2026, 11, 27, 9, 30), datetime(2026, 12, 4, 17),
                           datetime(2026, 12, 11, 12)]) == \
        "11月27日上午9:30、12月4日下午17:00、11日中午12:00"
    assert deadlines_text([datetime(2026, 12, 4, 20)]) == "12月4日晚上20:00"


def test_the_same_month_of_another_year_is_written_again():
    assert deadlines_text([datetime(2026, 12, 28, 17), datetime(2027, 12, 4, 17)]) == \
        "12月28日、12月4日下午17:00"


def test_the_2026_deadlines_and_contacts_replace_the_2022_ones():
    notes = sheet_notes([datetime(2026, 12, 4, 17), datetime(2026, 11, 27, 17)],
                        [Contact("李明", phone="0471-1234567"),
                         Contact("王芳", email="wf@example.org")])
    assert notes == ("说明： 此表于11月27日、12月4日下午17:00前报至自治区民政厅慈善社工处。",
                     "联系人：李明 联系电话：0471-1234567",
                     "联系人：王芳 电子邮箱：wf@example.org")


def test_the_office_is_the_campaigns_when_it_names_one():
    notes = sheet_notes([datetime(2026, 11, 27, 17)],
                        [Contact("李明"), Contact("王芳", office="自治区民政厅社会工作处")])
    assert notes[0] == "说明： 此表于11月27日下午17:00前报至自治区民政厅社会工作处。"


def test_no_deadline_and_no_contact_still_say_where_the_table_goes():
    assert sheet_notes([], []) == ("说明： 此表报至自治区民政厅慈善社工处。",)
