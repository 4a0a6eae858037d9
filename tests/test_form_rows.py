"""The rows of edit forms (campaigndesk.formrows): spare rows, half-filled rows, line breaks."""

from campaigndesk.campaigns.forms import CampaignForm, DeadlineFormSet
from campaigndesk.formerrors import problems


def deadlines(rows: list[dict], initial: int = 0) -> DeadlineFormSet:
    data = {"deadlines-TOTAL_FORMS": str(len(rows)), "deadlines-INITIAL_FORMS": str(initial),
            "deadlines-MIN_NUM_FORMS": "1", "deadlines-MAX_NUM_FORMS": "1000"}
    for n, row in enumerate(rows):
        data.update({f"deadlines-{n}-{key}": value for key, value in row.items()})
    first = {"kind": "progress", "title": "第一次", "due_at": "2022-03-24T17:00"}
    return DeadlineFormSet(data, prefix="deadlines", initial=[first] * initial)


FILLED = {"kind": "progress", "title": "第一次", "due_at": "2022-03-24T17:00"}


def test_a_spare_row_as_the_browser_sends_it_is_ignored(db):
    # The select shows its first option, so the browser sends kind=progress.
    formset = deadlines([FILLED, {"kind": "progress", "title": "", "due_at": ""}], initial=1)
    assert formset.is_valid(), problems(formset)
    assert [d.title for d in formset.kept()] == ["第一次"]


def test_a_spare_row_sent_without_a_choice_is_ignored(db):
    formset = deadlines([FILLED, {"kind": "", "title": "", "due_at": ""}], initial=1)
    assert formset.is_valid()


def test_a_spare_row_with_another_choice_is_half_filled(db):
    formset = deadlines([FILLED, {"kind": "summary", "title": "", "due_at": ""}], initial=1)
    assert not formset.is_valid()
    assert [(p.place, p.message) for p in problems(formset)] == [
        ("报送节点 第2行 · 名称", "这个字段是必填项。"),
        ("报送节点 第2行 · 截止时间（北京时间）", "这个字段是必填项。"),
    ]


def test_a_row_marked_for_deletion_is_neither_kept_nor_reported(db):
    formset = deadlines([FILLED, {"kind": "summary", "title": "总结", "due_at": "",
                                  "DELETE": "on"}], initial=1)
    assert formset.is_valid()
    assert problems(formset) == []
    assert len(formset.kept()) == 1


def test_textarea_line_breaks_are_stored_as_lf(demo):
    form = CampaignForm(instance=demo)
    assert form.fields["notice_text"].widget.value_from_datadict(
        {"notice_text": "第一行\r\n第二行\r第三行"}, {}, "notice_text") == "第一行\n第二行\n第三行"
