"""E-mail notices of the editorial workflow: reviewers learn of a submitted issue, the author of
the decisions taken on theirs.

A notice is sent by the task worker once the step's transaction has committed: a step rolled
back sends nothing, and a slow or dead mail server never holds up the reviewer's click.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from core.roles import Role

# The task that sends a notice (bulletin.tasks.send_workflow_notice), set by
# BulletinConfig.ready: the tasks module imports the models, which import the workflow, which
# imports this module, so it cannot be imported here.
_notice_task = None


def send_with(task):
    global _notice_task
    _notice_task = task


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
        addresses = [user.email for user in reviewers() if user != by]
    else:
        author = issue.created_by
        addresses = [author.email] if author and author.email and author != by else []
    return sorted(set(addresses))


def notify(issue, step, transition):
    """Queue the notice of ``transition`` for when the current transaction commits."""
    transition_id, step_name = transition.pk, step.name
    transaction.on_commit(
        lambda: _notice_task.enqueue(transition_id=transition_id, step_name=step_name)
    )


def send_notice(issue, step, transition):
    """Send the notice of ``transition`` now (in the worker); returns how many mails went out.
    A mail server that fails makes the task fail, recorded with its error in the task table."""
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
    return send_mail(subject, body, None, to)
