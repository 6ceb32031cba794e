"""Keep what is derived from an issue's content in step with it.

Any save or deletion of an issue's content stamps the issue's ``content_changed_at`` (which the
issue page uses for Last-Modified and its cache) and marks its stored PDFs stale (cheap UPDATEs);
when the
issue is published, a re-render is queued once the transaction commits. Publishing queues the
first render. Queued work that finds nothing changed costs one template render, no PDF.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from django.utils import timezone

from documents.models import Document

from . import notifications
from .models import Entry, Issue, Rendition, Status, Transition, issue_of
from .printing.renditions import RENDERED_PAPERS
from .tasks import render_issue_pdf, send_workflow_notice

# Sent by the issue page each time a logged-in reader opens an issue (``sender`` is the Issue
# class; ``issue`` and ``user`` as arguments). Apps above the bulletin (members' readership)
# listen; the bulletin never knows who.
issue_read = Signal()


def enqueue_renders(issue_id):
    """Queue the render of every stored variant: A4, and A5 with its booklet."""
    for paper in RENDERED_PAPERS:
        render_issue_pdf.enqueue(issue_id=issue_id, paper=paper)


def _issue_ids(instance):
    if isinstance(instance, Document):
        # A document may be summarised in several issues.
        return list(
            Entry.objects.filter(document_id=instance.pk)
            .values_list("issue_id", flat=True)
            .distinct()
        )
    issue = issue_of(instance)
    return [issue.pk] if issue is not None else []


def content_changed(instance):
    ids = [pk for pk in _issue_ids(instance) if pk]
    if not ids:
        return
    if not isinstance(instance, Issue):
        Issue.objects.filter(pk__in=ids).update(content_changed_at=timezone.now())
    Rendition.objects.filter(issue_id__in=ids).exclude(content_hash="").update(content_hash="")
    published = Issue.objects.filter(pk__in=ids, status=Status.PUBLISHED).values_list(
        "pk", flat=True
    )
    for issue_id in published:
        transaction.on_commit(lambda issue_id=issue_id: enqueue_renders(issue_id))


def content_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        content_changed(instance)


def content_deleted(sender, instance, **kwargs):
    if not isinstance(instance, Issue):
        content_changed(instance)


def connect_content_signals(*models):
    """Called by each app's ``AppConfig.ready`` for the models whose changes show in an issue."""
    for model in models:
        post_save.connect(
            content_saved, sender=model, dispatch_uid=f"bulletin.content.saved.{model.__name__}"
        )
        post_delete.connect(
            content_deleted, sender=model, dispatch_uid=f"bulletin.content.deleted.{model.__name__}"
        )


@receiver(post_save, sender=Transition, dispatch_uid="bulletin.pdf.published")
def issue_published(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.to_status == Status.PUBLISHED:
        issue_id = instance.issue_id
        transaction.on_commit(lambda: enqueue_renders(issue_id))


@receiver(post_save, sender=Transition, dispatch_uid="bulletin.workflow.notice")
def workflow_step_taken(sender, instance, created, raw=False, **kwargs):
    """Each step mails the people concerned, from the worker, once the step has committed."""
    if created and not raw and notifications.wanted():
        transition_id, site_url = instance.pk, notifications.link_base()
        transaction.on_commit(
            lambda: send_workflow_notice.enqueue(transition_id=transition_id, site_url=site_url)
        )
