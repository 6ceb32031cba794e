"""The logged-in reader's account read from the cache instead of the database.

Django's authentication reads the user row on every request that looks at ``request.user``.
A member's page served from the page cache (core/pagecache.py) costs little else, so that read
(and the two permission queries that decide which cached page the member gets) dominated it.

:class:`CachedModelBackend` keeps, in the default cache (Redis or the database, shared by every
app server), a copy of each account's row and of its permission names, under the account's id.
The copy is dropped whenever anything it holds may have changed:

- the account saved or deleted (a new password, deactivation, ``is_staff``, last login);
- its groups or its own permissions changed, from either side of the relation;
- a group's permissions changed, or a group deleted: the copies of the group's members.

Each is dropped at once and again when the transaction commits, so that a request that read the
old row between the two never leaves it cached afterwards. What Django checks stays checked on
the copy: ``is_active`` (a deactivated account is refused at its next request) and the session
hash made from the password (a password changed elsewhere logs every other session out).

The copy holds the password's hash, which the session hash is made from: it sits in the same
cache as the sessions, which already let their holder in.

A member's request reads the session and this copy in one request to the cache: the session
engine (core/sessions.py) fetches both, and :class:`AuthenticationMiddleware` lets the backend
see that session while Django looks the user up.

Changes made without signals (``QuerySet.update()`` on users, raw SQL) are not seen until the
copy expires (``USER_CACHE_SECONDS``); the site makes none.
"""

from contextvars import ContextVar

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils.functional import SimpleLazyObject

# Bumped when what is stored changes shape, so that a new release never reads an old copy.
KEY_VERSION = 1


def account_cache_key(user_id):
    return f"auth:user:v{KEY_VERSION}:{user_id}"


# The session of the request whose user is being looked up (see AuthenticationMiddleware).
_session_of_request = ContextVar("core.auth.session_of_request", default=None)


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, except that the account is looked up while the backend can see the request's
    session: core/sessions.py reads the account together with the session, in one round trip,
    and :class:`CachedModelBackend` takes it from there."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user_of(request))


def user_of(request):
    """The request's user itself, where ``request.user`` is the lazy object the middleware put
    there: each attribute read through that object raises and catches an AttributeError
    (``LazyObject.__getattribute__``), which a member's page from the cache did a dozen times."""
    user = request.user
    return _user_of(request) if isinstance(user, SimpleLazyObject) else user


def _user_of(request):
    if not hasattr(request, "_cached_user"):
        token = _session_of_request.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _session_of_request.reset(token)
    return request._cached_user


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend (same logins, same permission rules) whose ``get_user`` reads the
    cached copy of the account."""

    def get_user(self, user_id):
        stored = _read_with_session()
        if stored is None:
            stored = cache.get(account_cache_key(user_id))
        if stored is not None:
            user = _rebuild(stored)
            # The copy is the row of this very id, or nothing: never another account.
            if user.pk == user_id:
                return user if self.user_can_authenticate(user) else None
            forget_user(user_id)
        user = super().get_user(user_id)
        if user is not None:
            # Computed now, once: every page of the member asks which audience it serves.
            self.get_all_permissions(user)
            cache.set(account_cache_key(user_id), _snapshot(user), settings.USER_CACHE_SECONDS)
        return user


def _read_with_session():
    """The copy of the account the session engine read with this request's session, or None.
    It is the account that session names; get_user still takes it only for that very id."""
    return getattr(_session_of_request.get(), "account_read_with", None)


def _snapshot(user):
    """What is cached: the row's column values by name and the permission names (never the
    model instance itself, whose pickle ties it to one version of Django and of the model)."""
    fields = [field.attname for field in user._meta.concrete_fields]
    return {
        "fields": fields,
        "values": [getattr(user, name) for name in fields],
        "user_perms": set(user._user_perm_cache),
        "group_perms": set(user._group_perm_cache),
    }


def _rebuild(stored):
    model = get_user_model()
    known = {field.attname for field in model._meta.concrete_fields}
    pairs = [(n, v) for n, v in zip(stored["fields"], stored["values"], strict=True) if n in known]
    # from_db leaves out-of-date or missing columns deferred: read from the row if ever used.
    user = model.from_db(router.db_for_read(model), [n for n, _ in pairs], [v for _, v in pairs])
    # ModelBackend's own memo of the permissions, the names it would have read from the database.
    user._user_perm_cache = set(stored["user_perms"])
    user._group_perm_cache = set(stored["group_perms"])
    user._perm_cache = user._user_perm_cache | user._group_perm_cache
    return user


def forget_users(user_ids):
    """Drop the cached copies of these accounts, now and when the transaction commits."""
    keys = [account_cache_key(user_id) for user_id in user_ids]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def forget_user(user_id):
    forget_users([user_id])


def _user_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        forget_user(instance.pk)


def _memberships_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_") and action != "pre_clear":
        return
    if not reverse:  # user.groups / user.user_permissions changed
        forget_user(instance.pk)
    elif pk_set is not None and model is get_user_model():  # group.user_set.add(...)
        forget_users(pk_set)
    else:  # group.user_set.clear(), permission.user_set / group_set: whoever held it
        _forget_holders(instance)


def _group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_") and action != "pre_clear":
        return
    if not reverse:  # group.permissions changed: its members
        _forget_holders(instance)
    else:  # permission.group_set changed: the members of those groups
        groups = instance.group_set.all() if pk_set is None else Group.objects.filter(pk__in=pk_set)
        for group in groups:
            _forget_holders(group)


def _forget_holders(instance):
    if isinstance(instance, Group):
        forget_users(list(instance.user_set.values_list("pk", flat=True)))
    elif isinstance(instance, Permission):
        users = get_user_model().objects.filter(user_permissions=instance)
        forget_users(list(users.values_list("pk", flat=True)))
        for group in instance.group_set.all():
            _forget_holders(group)


def _group_deleted(sender, instance, **kwargs):
    # Before the delete: afterwards the memberships that say whose copies to drop are gone.
    _forget_holders(instance)


def connect_signals():
    """Called by ``CoreConfig.ready``."""
    user_model = get_user_model()
    uid = "core.auth."
    post_save.connect(_user_changed, sender=user_model, dispatch_uid=uid + "saved")
    post_delete.connect(_user_changed, sender=user_model, dispatch_uid=uid + "deleted")
    for relation in (user_model.groups.through, user_model.user_permissions.through):
        m2m_changed.connect(_memberships_changed, sender=relation, dispatch_uid=uid + str(relation))
    m2m_changed.connect(
        _group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid=uid + "group-permissions",
    )
    pre_delete.connect(_group_deleted, sender=Group, dispatch_uid=uid + "group-deleted")
    pre_delete.connect(_group_deleted, sender=Permission, dispatch_uid=uid + "perm-deleted")
