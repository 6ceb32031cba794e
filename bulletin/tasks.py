"""Background work of the bulletin, run by ``manage.py task_worker`` (django-tasks)."""

import logging

from django.db import transaction
from django.utils.translation import gettext
from django_tasks import task

from . import notifications
from .importing import ImportRefused, import_into_draft
from .models import Issue, Paper, ScanImport, Status, Transition
from .printing import renditions
from .workflow import step_of

logger = logging.getLogger(__name__)


@task()
def render_issue_pdf(issue_id, paper=Paper.A4):
    """Render and store the PDF of a published issue (for A5, its booklet too), unless the
    stored one is up to date.

    A failure is recorded on the rendition (shown in the admin) and the previous file is kept,
    so the task itself does not fail and is not retried.
    """
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None or issue.status != Status.PUBLISHED:
        return {"issue": issue_id, "paper": paper, "result": "skipped"}
    rendition = renditions.refresh_rendition(issue, paper)
    return {
        "issue": issue_id,
        "paper": paper,
        "result": "failed" if rendition.failed_at and rendition.error else "rendered",
        "file": rendition.file.name if rendition.file else "",
    }


@task()
def send_workflow_notice(transition_id, site_url=None):
    """Mail the people concerned by one workflow step (queued when the step commits)."""
    transition = (
        Transition.objects.select_related("issue__created_by", "by")
        .filter(pk=transition_id)
        .first()
    )
    if transition is None:  # the issue was deleted meanwhile: nobody to tell about it
        return {"transition": transition_id, "sent": 0}
    sent = notifications.send_notice(
        transition.issue, step_of(transition), transition, site_url=site_url
    )
    return {"transition": transition_id, "sent": sent}


@task()
def import_scan(scan_import_id):
    """Read a scan uploaded in the admin by text recognition and import it as a draft (minutes
    for a long scan, so never inside the upload's request). A refusal is recorded with its
    message for the editor; the uploaded file is deleted either way."""
    scan_import = ScanImport.objects.filter(
        pk=scan_import_id, state=ScanImport.State.QUEUED
    ).first()
    if scan_import is None:  # already read, or deleted meanwhile
        return {"scan_import": scan_import_id, "result": "skipped"}
    try:
        with scan_import.upload.open("rb") as handle:
            data = handle.read()
        result = import_into_draft(
            data,
            filename=scan_import.filename,
            month=scan_import.month,
            year=scan_import.year,
            replace=scan_import.replace,
            by=scan_import.requested_by,
        )
    except ImportRefused as refusal:
        scan_import.state, scan_import.message = ScanImport.State.FAILED, str(refusal)
    except Exception:
        # A fault of ours, not of the file: the editor must not wait for ever on "being read".
        logger.exception("scan import %s failed", scan_import_id)
        scan_import.state = ScanImport.State.FAILED
        scan_import.message = gettext(
            "The scan could not be read because of an error on the server; nothing was "
            "imported. Try again later or tell the administrator."
        )
    else:
        scan_import.state, scan_import.issue = ScanImport.State.DONE, result.issue
        scan_import.message = result.summary()
    with transaction.atomic():
        if scan_import.upload:
            scan_import.upload.delete(save=False)
        scan_import.save()
    return {"scan_import": scan_import_id, "result": scan_import.state}
