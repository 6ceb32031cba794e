"""Reader pages served from the shared cache, for as long as what they show stays the same.

A page is kept under a key made of what decides its bytes:

- the *content state*: a token replaced whenever content that pages show is saved or deleted
  (each app connects its models with :func:`connect`) and when a scheduled publication's time
  comes (apps say when the next one is with :func:`register_schedule`);
- the reader's *audience*: anonymous, member, member allowed to export PDFs. Staff, and whoever
  may preview drafts, are never served from the cache: they see unpublished content;
- the release (templates), the language, the host and the full path with its query string.

The token lives in the default cache (the database or Redis), shared by every app server, so a
change made on one server is seen by the others at their next request. Pages themselves are
immutable under their key: each process keeps a copy in its own memory (the "pages" cache).

Nothing personal is stored: a member's page is stored with its personal values cut out (a
form's CSRF token, the offline cache id of ``core/offline.py``) and gets the current reader's
values when it is served (the header's logout button takes its token from the reader's cookie
instead: core/templatetags/csrf_cookie.py); a request carrying messages ("saved", "logged out")
and any response that sets a cookie or refuses caching are neither served from nor stored in
the cache.
"""

import datetime
import hashlib
import re
import time
import uuid
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from .auth import user_of
from .offline import offline_cache_id

STATE_KEY = "pages:state"
NO_SCHEDULE = "none"
# A page is kept a day at most even when nothing changes, so the cache never fills with pages
# of an old state for long.
PAGE_TIMEOUT = 24 * 3600
# How long a reader's committees (the registered audience parts) are remembered.
AUDIENCE_TIMEOUT = 60


@dataclass(frozen=True)
class PersonalValue:
    """A value of the page that belongs to its reader: cut out before the page is stored (the
    ``pattern``'s two groups surround it) and made again for each reader when it is served."""

    pattern: re.Pattern
    value_for: object  # request -> str


PERSONAL_VALUES = [
    PersonalValue(re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")'), get_token),
    PersonalValue(
        re.compile(rb'(data-offline-cache=")[^"]*(")'),
        lambda request: offline_cache_id(user_of(request)),
    ),
]
# Part of every page's key: pages stored in another shape by an earlier release are never read.
PAGE_FORMAT = "2"
# The response headers a stored page keeps; everything else is made again for each request.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Last-Modified")

_SCHEDULES = []


def register_schedule(next_change):
    """``next_change()`` answers when content changes by itself next (a scheduled publication),
    an aware datetime in the future, or None."""
    _SCHEDULES.append(next_change)


def connect(*models):
    """Called by each app's ``AppConfig.ready`` for the models that reader pages show."""
    for model in models:
        uid = f"core.pagecache.{model._meta.label}"
        post_save.connect(_content_changed, sender=model, dispatch_uid=uid + ".saved")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=uid + ".deleted")


def _content_changed(sender, raw=False, **kwargs):
    if not raw:
        content_changed()


def content_changed():
    """Start a new content state, now and again when the transaction commits: a page rendered
    between the two (from the data before the commit) is then never served afterwards."""
    _new_state()
    transaction.on_commit(_new_state)


def _new_state():
    token = uuid.uuid4().hex
    cache.set(STATE_KEY, token, None)
    _memo.clear()


# This process's copy of the state: (token, next change or None, monotonic time it expires).
# Reading the shared cache for every page would cost more than serving the page; a change made
# by another server is seen here at most PAGE_STATE_MEMO_SECONDS later.
_memo = {}


def current_state(now=None):
    """The token of the content as readers see it at ``now``."""
    now = now or timezone.now()
    memo = _memo.get("state")
    if memo is not None and time.monotonic() < memo[2] and (memo[1] is None or now < memo[1]):
        return memo[0]
    for _attempt in range(2):
        token = cache.get(STATE_KEY)
        if token is None:
            cache.add(STATE_KEY, uuid.uuid4().hex, None)
            token = cache.get(STATE_KEY)
        next_key = f"pages:next:{token}"
        stored = cache.get(next_key)
        if stored is None:
            upcoming = [when for when in (schedule() for schedule in _SCHEDULES) if when]
            stored = min(upcoming).isoformat() if upcoming else NO_SCHEDULE
            cache.set(next_key, stored, PAGE_TIMEOUT)
        next_change = None if stored == NO_SCHEDULE else datetime.datetime.fromisoformat(stored)
        if next_change is None or now < next_change:
            expires = time.monotonic() + settings.PAGE_STATE_MEMO_SECONDS
            _memo["state"] = (token, next_change, expires)
            return token
        # A scheduled issue has just appeared: every page that lists issues changes.
        _new_state()
    return token


_STATE_OF_MEMO = object()  # the key under which state_memo() notes the state a memo is for


def state_memo(memo):
    """``memo``, a dict of this process's, emptied first if the content state has changed since
    it was filled: for what stays true while the content does (an issue looked up by its
    address, the search vocabulary)."""
    state = current_state()
    if memo.get(_STATE_OF_MEMO) != state:
        memo.clear()
        memo[_STATE_OF_MEMO] = state
    return memo


# Apps that split readers further register what decides it (``part(user)`` -> str): members of
# two committees read different members-only issues, so they never share a page.
_AUDIENCE_PARTS = []


def register_audience_part(part):
    _AUDIENCE_PARTS.append(part)


def audience(user):
    """Which readers see the same pages, or None for those never served from the cache."""
    if not user.is_authenticated:
        return "anonymous"
    if not user.is_active:
        return "inactive"
    if user.is_staff or user.is_superuser:
        return None
    # No query for permissions: core.auth's backend brings the account with its permission
    # names, and drops that copy as soon as the member's groups change, so a new group shows at
    # the next page. Asked once (each has_perm goes through every backend again).
    permissions = user.get_all_permissions()
    if "bulletin.preview_issue" in permissions:
        return None
    group = "member-pdf" if "bulletin.export_pdf" in permissions else "member"
    # The registered parts (a member's committees) cost a query: remembered a minute per reader,
    # so a member moved to another committee gets its pages within a minute.
    key = f"pages:audience-parts:{user.pk}"
    parts = caches["pages"].get(key)
    if parts is None:
        parts = "|".join(part(user) for part in _AUDIENCE_PARTS)
        caches["pages"].set(key, parts, AUDIENCE_TIMEOUT)
    return f"{group}|{parts}"


def _has_messages(request):
    return "messages" in request.COOKIES or "_messages" in request.session


def _page_key(request, group):
    parts = (
        PAGE_FORMAT,
        settings.RELEASE,
        current_state(),
        group,
        getattr(request, "LANGUAGE_CODE", ""),
        request.get_host(),
        request.get_full_path(),
    )
    return "pages:page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def _etag(request, key):
    # A browser's copy of a member's page holds that member's values (offline cache id, a form's
    # CSRF token): the tag is theirs.
    personal = f"{user_of(request).pk}|{request.COOKIES.get(settings.CSRF_COOKIE_NAME, '')}"
    return '"' + hashlib.sha256(f"{key}|{personal}".encode()).hexdigest()[:32] + '"'


def _storable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
    )


def _from_cache(key):
    local = caches["pages"]
    page = local.get(key)
    if page is None:
        page = cache.get(key)
        if page is not None:
            local.set(key, page, PAGE_TIMEOUT)
    return page


def _store(key, response):
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    pieces, gaps = _cut_personal_values(response.content)
    page = {"pieces": pieces, "gaps": gaps, "headers": headers}
    cache.set(key, page, PAGE_TIMEOUT)
    caches["pages"].set(key, page, PAGE_TIMEOUT)


def _cut_personal_values(content):
    """The page without its reader's values: the pieces between them, and for each gap the index
    in PERSONAL_VALUES of the value that goes there. Cut once, when the page is stored, so that
    serving it joins pieces instead of searching the whole page (an issue weighs 60 KB) for
    each kind of value."""
    spans = sorted(
        (match.end(1), match.start(2), index)
        for index, personal in enumerate(PERSONAL_VALUES)
        for match in personal.pattern.finditer(content)
    )
    pieces, gaps, at = [], [], 0
    for start, end, index in spans:
        pieces.append(content[at:start])
        gaps.append(index)
        at = end
    pieces.append(content[at:])
    return pieces, gaps


def _response(request, page):
    pieces, gaps = page["pieces"], page["gaps"]
    if gaps:
        values = {}
        parts = [pieces[0]]
        for index, piece in zip(gaps, pieces[1:], strict=True):
            if index not in values:
                values[index] = PERSONAL_VALUES[index].value_for(request).encode()
            parts += (values[index], piece)
        content = b"".join(parts)
    else:
        content = pieces[0]
    response = HttpResponse(content)
    for name, value in page["headers"].items():
        response[name] = value
    return response


def _known_query(request, params):
    """Whether every query parameter is one the page reads, each given once: anything else
    (tracking tags, junk) would make a new cache entry per variant, so it is served uncached."""
    return all(name in params and len(values) == 1 for name, values in request.GET.lists())


def reader_page(view, params=(), on_serve=None):
    """Serve ``view``'s GET answers from the cache, with an ETag for conditional requests.
    ``params``: the query parameters the page reads (the others are never cached).
    ``on_serve(request, *args, **kwargs)`` runs for every page served, from the cache or not:
    what must happen at each reading (the readership count) cannot live in the view, which a
    cached page skips."""

    @wraps(view)
    def served_view(request, *args, **kwargs):
        response = cached_view(request, *args, **kwargs)
        if on_serve is not None and request.method == "GET" and response.status_code in (200, 304):
            on_serve(request, *args, **kwargs)
        return response

    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not _known_query(request, params):
            return view(request, *args, **kwargs)
        group = audience(user_of(request))
        if group is None or _has_messages(request):
            return view(request, *args, **kwargs)
        key = _page_key(request, group)
        etag = _etag(request, key)
        response = get_conditional_response(request, etag=etag)
        if response is None:
            page = _from_cache(key)
            if page is not None:
                response = _response(request, page)
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()
                if not _storable(response):
                    return response
                _store(key, response)
        response["ETag"] = etag
        patch_vary_headers(response, ["Cookie"])
        patch_cache_control(response, private=True, no_cache=True)
        return response

    return served_view
