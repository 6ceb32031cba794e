"""E-mail notices of the editorial workflow: reviewers learn of a submitted issue, the author of
the decisions taken on theirs."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from core.roles import Role

logger = logging.getLogger(__name__)


def reviewers():
    """Active reviewers and superusers who have an e-mail address."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name=Role.REVIEWER) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .distinct()
    )


def recipients(issue, step, by):
    if step.name == "submit":
        # The reviewers of the issue's own committee: another committee's board has no say.
        deciders = reviewers().filter(Q(is_superuser=True) | Q(committees=issue.committee_id))
        addresses = [user.email for user in deciders if user != by]
    else:
        author = issue.created_by
        addresses = [author.email] if author and author.email and author != by else []
    return sorted(set(addresses))


def notify(issue, step, transition):
    """Send the notice of ``transition``; a mail failure never undoes the step already taken."""
    to = recipients(issue, step, transition.by)
    if not to:
        return 0
    context = {
        "issue": issue,
        "step": step.name,
        "transition": transition,
        "by": transition.by,
        "admin_url": reverse("admin:bulletin_issue_change", args=[issue.pk]),
        "site_url": getattr(settings, "SITE_URL", ""),
    }
    subject = " ".join(render_to_string("bulletin/email/subject.txt", context).split())
    body = render_to_string("bulletin/email/body.txt", context)
    try:
        return send_mail(subject, body, None, to)
    except OSError:
        logger.exception("Could not send the workflow notice for issue %s", issue.pk)
        return 0
