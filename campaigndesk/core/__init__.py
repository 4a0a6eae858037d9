"""Pieces every app shares, below all of them: optimistic versions (concurrency), the
client's address (addresses), formula-safe cell text (cells).

Layers point one way: `core` imports Django only, never an app of this project; `units`
(accounts, roles, the permission layer) and `audit` (writing the trail) build on it; the
domain apps (campaigns, progress, articles, oversight, places, api) on those. `core` has no
models, so it is not an installed app."""

# Where the token-only REST API lives (campaigndesk/urls.py): its errors are JSON
# (api.middleware) and it never counts as a browser session's activity (security.idle).
API_PREFIX = "/api/"
