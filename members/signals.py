"""The members app listens to the bulletin: an issue opened on the site becomes a Reading."""

import logging

from django.db import DatabaseError
from django.utils import timezone

from .models import Reading

logger = logging.getLogger(__name__)


def record_reading(sender, issue, user, **kwargs):
    # Published issues only: staff previewing a draft are not readers, and anonymous visitors
    # have no party cell to count them in.
    if not (user.is_authenticated and issue.is_published):
        return
    try:
        Reading.record(user, issue, timezone.now())
    except DatabaseError:
        # A statistic must never keep a member from reading: the page is served regardless.
        logger.warning("Could not record that user %s read issue %s", user.pk, issue.pk)
