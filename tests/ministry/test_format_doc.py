"""The format page documents every field of every schema shipped."""

import json
from pathlib import Path

from campaigndesk.ministry import package_format as fmt

DOC = Path(__file__).resolve().parents[2] / "docs" / "ministry-package" / "README.md"


def _names(schema: dict) -> set[str]:
    names = set()
    for key, value in schema.items():
        if key == "properties":
            names |= set(value)
        if isinstance(value, dict):
            names |= _names(value)
    return names


def test_every_field_of_every_schema_is_on_the_format_page():
    text = DOC.read_text(encoding="utf-8")
    for path in sorted((fmt.SCHEMA_DIR / f"v{fmt.FORMAT_VERSION}").glob("*.schema.json")):
        for name in _names(json.loads(path.read_text(encoding="utf-8"))):
            assert f"`{name}`" in text or f"`{name}[]`" in text, (path.name, name)


def test_the_schemas_are_valid_json_schemas():
    for name in (fmt.MANIFEST, *fmt.JSON_FILES):
        assert fmt.validator(fmt.FORMAT_VERSION, name) is not None
