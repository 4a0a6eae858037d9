"""Comparing two versions of a text."""


def common_ends(old: str, new: str) -> tuple[int, int]:
    """(head, tail): how many characters the two texts share at the start and at the end
    (not overlapping). Most edits are one change somewhere; a diff of only the middle is
    much cheaper and cannot match across the untouched ends."""
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, tail
