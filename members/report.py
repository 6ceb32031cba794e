"""The monthly mail to the board's leaders: party cells where nobody has read the latest issue.

Run by ``manage.py send_readership_report`` (from cron) or the ``send_readership_report`` task.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from bulletin.models import Committee
from core.roles import Role

from . import readership

logger = logging.getLogger(__name__)


@dataclass
class Report:
    issue: object = None
    silent_cells: list = field(default_factory=list)
    recipients: list = field(default_factory=list)
    sent: int = 0


def leaders(committee):
    """Addresses of the leaders (the reviewer role) of ``committee``'s board with an active
    account."""
    users = get_user_model().objects.filter(
        groups__name=Role.REVIEWER, is_active=True, committees=committee
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def send_readership_report(committee=None):
    """Mail the leaders of ``committee`` (default: the default committee) the cells that have
    not opened its latest published issue. Returns a Report; with no published issue, or no
    leader with an address, nothing is sent."""
    committee = committee or Committee.objects.default()
    report = Report(issue=readership.latest_issue(committee))
    if report.issue is None:
        return report
    report.silent_cells = readership.cells_without_readers(report.issue)
    report.recipients = leaders(committee)
    if not report.recipients:
        return report
    context = {
        "issue": report.issue,
        "silent_cells": report.silent_cells,
        "readership_url": settings.SITE_URL
        + reverse("admin:members_reading_changelist")
        + f"?issue={report.issue.pk}",
    }
    subject = " ".join(render_to_string("members/email/readership_subject.txt", context).split())
    body = render_to_string("members/email/readership_body.txt", context)
    try:
        report.sent = send_mail(subject, body, None, report.recipients)
    except OSError:
        # The mail server is down: say so in the log and the command's exit status, lose nothing.
        logger.exception("Could not send the readership report")
    return report
