"""Background work of the bulletin, run by ``manage.py task_worker`` (django-tasks)."""

from django_tasks import task

from . import notifications
from .models import Issue, Paper, Status, Transition
from .printing import renditions
from .workflow import step_of


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
