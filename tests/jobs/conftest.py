import pytest

from campaigndesk.jobs import services


@pytest.fixture
def steps(monkeypatch):
    """The steps every job run reports, in order."""
    seen = []
    real = services._Progress.__call__

    def watch(self, percent, text):
        seen.append((int(percent), text))
        return real(self, percent, text)

    monkeypatch.setattr(services._Progress, "__call__", watch)
    return seen
