"""The members app listens to the bulletin: an issue opened on the site becomes a Reading."""

from django.utils import timezone

from .models import Reading


def record_reading(sender, issue, user, **kwargs):
    # Published issues only: staff previewing a draft are not readers, and anonymous visitors
    # have no party cell to count them in.
    if user.is_authenticated and issue.is_published:
        Reading.record(user, issue, timezone.now())
