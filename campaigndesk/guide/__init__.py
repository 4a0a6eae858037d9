"""使用说明: one help page per role, reachable from the top bar (issue 13 point 10)."""
