"""Property-based: what the writer writes, the reader reads back; nothing crashes the reader."""

import io
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigndesk.progress.excel.cells import MAX_COUNT, MAX_FEN
from campaigndesk.progress.excel_in import ReadResult, UnreadableFile, read_progress, read_table
from campaigndesk.progress.excel_out import write_unit_report
from campaigndesk.progress.table import COLUMNS, ActivityRow

from .builders import CONTEXT, rezip, workbook_bytes

LABELS = CONTEXT.service_areas  # 老年人 … 其他
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Chinese, ASCII letters, digits and punctuation, and the characters that start formulas.
CHARS = st.characters(min_codepoint=0x20, max_codepoint=0x9FA5,
                      categories=["L", "N", "P", "S", "Zs"], exclude_characters="\u3000")
FORMULA = st.sampled_from(["=", "+", "-", "@", "=SUM(", "=1+1", "+86 "])


def text(min_size=0, max_size=30, alphabet=CHARS):
    plain = st.text(alphabet, min_size=min_size, max_size=max_size)
    return st.one_of(plain, st.builds(lambda a, b: a + b, FORMULA, plain)).map(str.strip).filter(
        lambda t: len(t) >= min_size)


def not_total(name: str) -> bool:
    # The reader takes 合计/总计… in the 活动名称 column for the total row.
    return "计" not in name


PHONE_LABELS = {"手机号码", "手机号", "手机", "联系电话", "电话", "联系方式", "号码"}
ORG_CHARS = st.characters(min_codepoint=0x21, max_codepoint=0x9FA5, categories=["L", "N"])
OTHER_CHARS = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5).filter(
    lambda c: c not in "其他它")


@st.composite
def activities(draw) -> ActivityRow:
    start = draw(st.dates(date(2021, 12, 1), date(2022, 12, 31)))
    end = draw(st.one_of(st.none(), st.integers(0, 10).map(lambda d: start + timedelta(d))))
    labels = draw(st.lists(st.sampled_from(LABELS), unique=True, max_size=4))
    other = ""
    if "其他" in labels:
        other = draw(st.text(OTHER_CHARS, max_size=8))
    return ActivityRow(
        name=draw(text(1, 40).filter(not_total)),
        organizations=draw(st.lists(st.text(ORG_CHARS, min_size=1, max_size=12), unique=True,
                                    max_size=3)),
        participants=draw(st.integers(0, MAX_COUNT)),
        start=start,
        end=end,
        location=draw(text()),
        content=draw(text(max_size=200)),
        service_areas=[lb for lb in LABELS if lb in labels],
        service_other=other,
        beneficiaries=draw(st.integers(0, MAX_COUNT)),
        funds_fen=draw(st.one_of(st.integers(0, 10**8), st.integers(0, MAX_FEN // 12))),
        materials_fen=draw(st.integers(0, 10**9)),
        remarks=draw(text()),
    )


@SETTINGS
@given(rows=st.lists(activities(), max_size=12),
       # A name that is itself a phone label word (手机, 电话, 号码 …) before the number is
       # read as the label: "手机 13800001234" cannot be told apart.
       name=st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2,
                    max_size=4).filter(lambda n: n not in PHONE_LABELS),
       phone=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       filled=st.one_of(st.none(), st.dates(date(2022, 1, 1), date(2022, 12, 31))))
def test_written_report_reads_back_the_same(rows, name, phone, filled):
    out = io.BytesIO()
    write_unit_report(out, unit_name="呼和浩特市民政局", reporter_name=name, reporter_phone=phone,
                      filled_date=filled, rows=rows)
    result = read_progress(out.getvalue(), context=CONTEXT)
    assert result.errors == []
    assert (result.reporter_name, result.reporter_phone, result.filled_date) == (
        name, phone, filled)
    for want in rows:
        want.end = want.end or want.start
    distinct = []  # a row equal in every column to an earlier one is read once
    for want in rows:
        if want not in distinct:
            distinct.append(want)
    assert len(result.rows) == len(distinct)
    for got, want in zip(result.rows, distinct, strict=True):
        assert got.row is not None
        got.row = None
        assert got == want
    repeated = [w for w in result.warnings if "完全相同" in w.message]
    assert len(repeated) == len(rows) - len(distinct)
    assert result.total_row["funds"] == sum(r.funds_fen for r in rows)
    assert not [w for w in result.warnings if "合计" in w.message]


CELL = st.one_of(
    st.text(max_size=20), text(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.dates(date(1900, 3, 1), date(2100, 1, 1)),
    st.datetimes(datetime(1900, 3, 1), datetime(2100, 1, 1)),
    st.sampled_from(["合计", "说明：", "填报人及手机号码：王 1", "3月18日至", "3.1-", "１２人次",
                     "1.5万元", "无", "—", "其他（", "老年人、", "2022/13/45", "99999999999人"]),
)
HEADERS = st.sampled_from([c.header for c in COLUMNS] + ["序号", "链接资源情况", "备注", "x"])


@SETTINGS
@given(header=st.lists(HEADERS, min_size=1, max_size=14),
       body=st.lists(st.lists(st.one_of(st.none(), CELL), max_size=14), max_size=12),
       above=st.lists(st.lists(st.one_of(st.none(), CELL), max_size=4), max_size=4))
def test_random_cells_never_crash_the_reader(header, body, above):
    rows = [[None if isinstance(v, float) and v != v else v for v in row]
            for row in [*above, header, *body]]
    rows = [[v if not isinstance(v, float) or abs(v) < 1e300 else None for v in row]
            for row in rows]
    try:
        result = read_progress(workbook_bytes({"S": rows}), context=CONTEXT)
    except UnreadableFile:
        return
    assert isinstance(result, ReadResult)
    for problem in [*result.errors, *result.warnings]:
        assert problem.message
    for row in result.rows:
        assert row.participants >= 0 and row.funds_fen >= 0 and row.name


@settings(max_examples=150, deadline=None)
@given(body=st.lists(st.lists(st.one_of(st.just(""), CELL), min_size=11, max_size=11),
                     max_size=8))
def test_random_grid_rows_never_crash(body):
    """The web grid goes through read_table with whatever was typed or pasted."""
    header = [c.header for c in COLUMNS]
    result = read_table([header, *body], context=CONTEXT)
    rows_with_errors = {p.row for p in result.errors}
    assert all(r.row not in rows_with_errors for r in result.rows)


def test_a_phone_word_inside_a_name_stays_in_the_name():
    for name in ("王电话", "李手机", "号码东"):
        out = io.BytesIO()
        write_unit_report(out, unit_name="呼和浩特市民政局", reporter_name=name,
                          reporter_phone="13800001234", filled_date=None, rows=[])
        result = read_progress(out.getvalue(), context=CONTEXT)
        assert (result.reporter_name, result.reporter_phone) == (name, "13800001234"), name


# ---------------------------------------------------------------- the guard and XML spelling

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Far cells: past the rows cap, the cells cap, or both (calamine allocates A1..here).
FAR = st.sampled_from([("XFD1048576", 1048576), ("A1048576", 1048576), ("XFD100", 100),
                       ("zz60000", 60000), ("B50031", 50031)])
SPACE = st.sampled_from([" ", "  ", "\n", "\t", " \r\n "])


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_far_cell_never_passes_the_guard_however_its_xml_is_spelled(data):
    """Issue 12.2: attribute order, quotes, whitespace, character references, namespace
    prefixes and the kind of value of the same far cell: the guard refuses every one."""
    from campaigndesk.progress.excel.guard import Caps, sniff

    draw = data.draw
    ref, row = draw(FAR)
    prefix = draw(st.sampled_from(["", "x", "ss", "main"]))

    def el(name: str) -> str:
        return f"{prefix}:{name}" if prefix else name

    def spelled(value: str) -> str:
        chars = [draw(st.sampled_from([c, f"&#{ord(c)};", f"&#x{ord(c):X};"])) for c in value]
        quote = draw(st.sampled_from(['"', "'"]))
        return quote + "".join(chars) + quote

    def attribute(name: str, value: str) -> str:
        around = draw(st.sampled_from(["", " ", "\n "]))
        return draw(SPACE) + name + around + "=" + around + spelled(value)

    attributes = [("r", ref), ("s", "0")]
    attributes += draw(st.lists(st.sampled_from([("t", "n"), ("t", "inlineStr"), ("t", "str"),
                                                 ("cm", "1"), ("x14ac:dyDescent", "0.25")]),
                                max_size=1))
    tag = "".join(attribute(k, v) for k, v in draw(st.permutations(attributes)))
    value = draw(st.sampled_from([
        f"<{el('v')}>1</{el('v')}>",
        f"<{el('is')}><{el('t')}>甲</{el('t')}></{el('is')}>",
        f"<{el('f')}>1+1</{el('f')}><{el('v')}>2</{el('v')}>",
        f"<{el('v')}/>",
    ]))
    cell = f"<{el('c')}{tag}{draw(st.sampled_from(['', ' ', chr(10)]))}>{value}</{el('c')}>"
    far_row = f"<{el('row')}{attribute('r', str(row))}>{cell}</{el('row')}>"
    declare = f' xmlns{":" + prefix if prefix else ""}="{MAIN}"'
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><{el("worksheet")}{declare} '
             'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
             f'<{el("sheetData")}><{el("row")} r="1"><{el("c")} r="A1" t="inlineStr">'
             f"<{el('is')}><{el('t')}>活动名称</{el('t')}></{el('is')}></{el('c')}></{el('row')}>"
             f"{far_row}</{el('sheetData')}></{el('worksheet')}>")
    book = rezip(workbook_bytes({"S": [["活动名称"]]}),
                 {"xl/worksheets/sheet1.xml": sheet.encode()})
    try:
        sniff(book, Caps())
    except UnreadableFile as refused:
        assert refused.reason == "too_large", (refused.message, sheet)
    else:
        raise AssertionError(f"passed the guard: {sheet}")
