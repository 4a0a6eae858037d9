"""Point 8: the fixtures the issue names are refused before parsing, each within 1 second
and 100 MB of memory, measured in a fresh child process (tracemalloc for Python's own
allocations, the resident-set high-water mark for everything, calamine included)."""

import io
import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from tests.progress.builders import messy_table

MB = 1024 * 1024


def _replace(xlsx: bytes, name: str, write) -> bytes:
    """A copy of the workbook where entry `name` is written by `write(handle)`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == name:
                with target.open(name, "w", force_zip64=True) as handle:
                    write(handle)
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


def zip_bomb() -> bytes:
    """A workbook whose first sheet unpacks to 400 MB (of blanks after a valid start)."""
    def write(handle):
        handle.write(b'<?xml version="1.0"?><worksheet><sheetData>')
        block = b" " * MB
        for _ in range(400):
            handle.write(block)
        handle.write(b"</sheetData></worksheet>")
    return _replace(messy_table(), "xl/worksheets/sheet1.xml", write)


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)]
    dtd = "<!DOCTYPE sst [" + "".join(entities) + "]>"
    xml = ('<?xml version="1.0"?>' + dtd + '<sst xmlns="http://schemas.openxmlformats.org/'
           'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')

    def write(handle):
        handle.write(xml.encode())
    book = messy_table()
    names = zipfile.ZipFile(io.BytesIO(book)).namelist()
    target = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else \
        "xl/worksheets/sheet1.xml"
    return _replace(book, target, write)


def external_entity() -> bytes:
    xml = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c>'
           '</row></sheetData></worksheet>')
    return _replace(messy_table(), "xl/worksheets/sheet1.xml", lambda h: h.write(xml.encode()))


def five_million_cells() -> bytes:
    """5 000 rows × 1 000 columns, every cell holding a number: 5 million cells. The cells
    carry no references (allowed by the format), which is what keeps the file small."""
    row_cells = "<c><v>1</v></c>" * 1000

    def write(handle):
        handle.write(b'<?xml version="1.0"?><worksheet><sheetData>')
        for row in range(1, 5001):
            handle.write(f'<row r="{row}">{row_cells}</row>'.encode())
        handle.write(b"</sheetData></worksheet>")
    return _replace(messy_table(), "xl/worksheets/sheet1.xml", write)


CHILD = textwrap.dedent('''
    import json, resource, sys, time, tracemalloc
    from campaigndesk.progress.excel_in import ReadContext, UnreadableFile, read_progress
    data = open(sys.argv[1], "rb").read()
    context = ReadContext(year=2022)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    start = time.perf_counter()
    try:
        read_progress(data, filename="x.xlsx", context=context)
        outcome = {"refused": False}
    except UnreadableFile as exc:
        outcome = {"refused": True, "reason": exc.reason, "message": exc.message}
    outcome["seconds"] = time.perf_counter() - start
    outcome["python_peak"] = tracemalloc.get_traced_memory()[1]
    outcome["rss_growth"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    print(json.dumps(outcome))
''')


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    made = {}
    for name, build in (("zip_bomb", zip_bomb), ("billion_laughs", billion_laughs),
                        ("external_entity", external_entity),
                        ("five_million_cells", five_million_cells)):
        path = folder / f"{name}.xlsx"
        path.write_bytes(build())
        made[name] = path
    return made


@pytest.mark.parametrize("name", ["zip_bomb", "billion_laughs", "external_entity",
                                  "five_million_cells"])
def test_refused_within_one_second_and_100_mb(fixtures, name):
    path = fixtures[name]
    assert path.stat().st_size <= 10 * MB  # under the byte cap: the guard must do the work
    result = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True,
                            text=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["refused"], outcome
    assert outcome["seconds"] < 1.0, outcome
    assert outcome["python_peak"] < 100 * MB, outcome
    assert outcome["rss_growth"] < 100 * MB, outcome


def test_the_zip_bomb_really_unpacks_to_400_mb(fixtures):
    info = zipfile.ZipFile(fixtures["zip_bomb"]).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 400 * MB


def test_the_laughs_would_expand_to_a_billion(fixtures):
    text = zipfile.ZipFile(fixtures["billion_laughs"]).read(
        "xl/sharedStrings.xml").decode()
    assert text.count("<!ENTITY") == 10 and "&lol9;" in text
