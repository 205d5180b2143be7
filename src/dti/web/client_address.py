"""The address a request came from, as login throttling must know it.

Behind ``DTI_PROXY_COUNT`` reverse proxies, REMOTE_ADDR is the nearest proxy's, so throttling by it would lock an
account out for everybody. Each proxy appends the address it received the request from to X-Forwarded-For
(nginx: ``$proxy_add_x_forwarded_for``), so the entry that many places from the right is the one the outermost
proxy saw: the client. Entries further left are the client's own words and are never trusted. Private addresses
count like any other (a province's offices reach the server through its own network).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "DTI_PROXY_COUNT", 0)
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote  # not through the expected proxies: the nearest sender is all that is known
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
