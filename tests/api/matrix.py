"""The token pages' rows of the URL × persona matrix (tests/test_permissions.py merges
them). The API's own routes are walked in tests/api/test_permissions.py."""

ADMIN = {"region_admin", "superuser"}


def token(f):
    """A token of 呼和浩特市, made once per test."""
    if "api_token" not in f:
        from campaigndesk.api import tokens
        from campaigndesk.units.models import User

        admin = User.objects.get(username="region-admin")
        f["api_token"] = tokens.create_token(admin, name="矩阵测试", unit=f["units"]["150100"],
                                             scopes=["read"], days=30).token
    return f["api_token"]


API_PAGES_MATRIX = {
    "api_tokens": (lambda f: {}, ADMIN, "PUT"),
    "api_token_revoke": (lambda f: {"pk": token(f).pk}, ADMIN, "GET"),
}
