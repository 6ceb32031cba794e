"""Background work of the bulletin, run by ``manage.py db_worker`` (django-tasks)."""

from django_tasks import task

from .models import Issue, Paper, Status
from .printing import renditions


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
