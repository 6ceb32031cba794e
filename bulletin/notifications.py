"""E-mail notices of the editorial workflow: reviewers learn of a submitted issue, the author of
the decisions taken on theirs.

A notice is sent by the task worker once the step's transaction has committed (queued by
``bulletin.signals`` when a ``Transition`` is recorded): a step rolled back sends nothing, and a
slow or dead mail server never holds up the reviewer's click.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from core.roles import Role

# The demo publishes its samples through the real workflow; inside ``silenced()`` the steps
# queue no notice (the worker would send them long after any mail setting of the demo's).
_silenced = ContextVar("workflow_notices_silenced", default=False)


@contextmanager
def silenced():
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def wanted():
    return not _silenced.get()


# The address the current step is taken on (the request's), for the links of its notice.
_site_url = ContextVar("workflow_notices_site_url", default=None)


@contextmanager
def linking_to(site_url):
    token = _site_url.set(site_url)
    try:
        yield
    finally:
        _site_url.reset(token)


def link_base():
    return _site_url.get()


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


def send_notice(issue, step, transition, site_url=None):
    """Send the notice of ``transition`` now (in the worker); returns how many mails went out.
    A mail server that fails makes the task fail, recorded with its error in the task table.

    ``site_url`` is the address the step was taken on (the request's), so the link in the mail
    leads where people already work; ``SITE_URL`` when there is no request."""
    to = recipients(issue, step, transition.by)
    if not to:
        return 0
    context = {
        "issue": issue,
        "step": step.name,
        "transition": transition,
        "by": transition.by,
        "admin_url": reverse("admin:bulletin_issue_change", args=[issue.pk]),
        "site_url": (site_url or getattr(settings, "SITE_URL", "")).rstrip("/"),
    }
    subject = " ".join(render_to_string("bulletin/email/subject.txt", context).split())
    body = render_to_string("bulletin/email/body.txt", context)
    return send_mail(subject, body, None, to)
