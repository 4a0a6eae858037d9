"""Packages changed the ways a sender (or an attacker) might change them."""

import hashlib
import io
import json
import zipfile

from campaigndesk.ministry import package_format as fmt


def entries(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def build(files: dict[str, bytes], *, compress=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def manifest_of(files: dict[str, bytes]) -> dict:
    return json.loads(files[fmt.MANIFEST])


def with_manifest(files: dict[str, bytes], manifest: dict) -> dict[str, bytes]:
    return {**files, fmt.MANIFEST: json.dumps(manifest, ensure_ascii=False).encode()}


def relisted(files: dict[str, bytes], **changes) -> dict[str, bytes]:
    """`files` with the manifest listing every file but itself with its true checksum and
    size: a package that is consistent, whatever else is wrong with it."""
    manifest = {**manifest_of(files), **changes}
    manifest["files"] = [{"path": name, "sha256": hashlib.sha256(content).hexdigest(),
                          "size": len(content)}
                         for name, content in files.items() if name != fmt.MANIFEST]
    return with_manifest(files, manifest)


def edited_json(files: dict[str, bytes], name: str, edit) -> dict[str, bytes]:
    content = json.loads(files[name])
    edit(content)
    return relisted({**files, name: json.dumps(content, ensure_ascii=False).encode()})
