"""Public pages kept whole in the cache: what was published never changes, and at the publication of results
many people open the same few pages at once.

A page is kept per address (query string included), per language and per set of published snapshots, so a
new publication shows at once. Signed-in visitors (whose header names them) and visitors with a session or a
pending message are served fresh pages.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from dti.assessments.models import PublishedSnapshot

PAGE_SECONDS = 600


def published_version() -> str:
    hashes = PublishedSnapshot.objects.order_by("pk").values_list("sha256", flat=True)
    return hashlib.sha256(",".join(hashes).encode()).hexdigest()[:16]


def cached_public_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        personal = request.user.is_authenticated or {"sessionid", "messages"} & set(request.COOKIES)
        if request.method != "GET" or personal:
            return view(request, *args, **kwargs)
        key = "dti:page:" + hashlib.sha256(
            f"{get_language()}|{published_version()}|{request.get_full_path()}".encode()).hexdigest()
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                cache.set(key, (response.content, response["Content-Type"]), PAGE_SECONDS)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapper
