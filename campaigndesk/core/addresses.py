"""The client's address: the one function the audit log, the account lock and the address
throttle all use, so that they always agree on who was at the other end.

Without BEHIND_PROXY it is REMOTE_ADDR. With BEHIND_PROXY=1 it is read from
PROXY_CLIENT_HEADER (X-Forwarded-For by default), but only when the request really came from
one of PROXY_ADDRESSES (the reverse proxy; loopback by default), and only the entry written
by the trusted proxies: each of the PROXY_HOPS proxies appends the address of the peer it
saw, so the client is the PROXY_HOPS-th entry from the right. Whatever lies further left was
sent by the client itself and is ignored; anything that is not an address is ignored too.
"""

import ipaddress

from django.conf import settings

MAX_LENGTH = 64


def _parse(text: str) -> str:
    """The address in `text` ("1.2.3.4", "1.2.3.4:5678", "[2001:db8::1]:443", "2001:db8::1"),
    or ''."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return ""


def _from_trusted_proxy(peer: str) -> bool:
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in network for network in settings.PROXY_NETWORKS)


def client_address(request) -> str:
    peer = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_PROXY and _from_trusted_proxy(peer):
        key = "HTTP_" + settings.PROXY_CLIENT_HEADER.upper().replace("-", "_")
        entries = [e for e in request.META.get(key, "").split(",") if e.strip()]
        if len(entries) >= settings.PROXY_HOPS:
            address = _parse(entries[-settings.PROXY_HOPS])
            if address:
                return address[:MAX_LENGTH]
    return peer[:MAX_LENGTH]


def address_group(address: str) -> str:
    """What the address throttle counts by: the address itself, or for IPv6 its /64 (one
    subscriber gets a whole /64, so counting single addresses would count nothing)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:MAX_LENGTH]
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
