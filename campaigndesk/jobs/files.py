"""Where job results live: DATA_DIR/jobs/<id>.bin, owner-only, removed when they expire."""

from pathlib import Path

from django.conf import settings


def folder() -> Path:
    path = Path(settings.DATA_DIR) / "jobs"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def path_for(relative: str) -> Path:
    return Path(settings.DATA_DIR) / relative


def relative_for(job_id: int, attempt: int) -> str:
    # Per attempt: a run taken up again after its worker died writes a new file, never into
    # the half-written one of the run before.
    return f"jobs/{job_id}-{attempt}.part"
