"""The members app listens to the bulletin: an issue opened on the site becomes a Reading."""

import datetime
import logging

from django.core.cache import caches
from django.db import DatabaseError
from django.utils import timezone

from .models import Reading

logger = logging.getLogger(__name__)

# A member rereading an issue within this time moves nothing anyone sees: the board counts who
# read, and when first. Writing each page view cost every member's issue page a write
# transaction; now each app process writes a (member, issue) pair at most once in this time, so
# ``first_at`` stays exact and ``last_at`` is at most this much behind.
READING_REFRESH = datetime.timedelta(minutes=10)


def record_reading(sender, issue, user, **kwargs):
    # Published issues only: staff previewing a draft are not readers, and anonymous visitors
    # have no party cell to count them in.
    if not (user.is_authenticated and issue.is_published):
        return
    now = timezone.now()
    # This process's memory only (the "process" cache): asking a shared cache would cost as
    # much as the write it saves.
    recent = caches["process"]
    key = f"members:reading:{user.pk}:{issue.pk}"
    recorded_at = recent.get(key)
    if recorded_at is not None and recorded_at <= now < recorded_at + READING_REFRESH:
        return
    try:
        Reading.record(user, issue, now)
    except DatabaseError:
        # A statistic must never keep a member from reading: the page is served regardless.
        logger.warning("Could not record that user %s read issue %s", user.pk, issue.pk)
        return
    recent.set(key, now, READING_REFRESH.total_seconds())
