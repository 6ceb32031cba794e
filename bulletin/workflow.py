"""The editorial workflow of an issue: which step may be taken from which state, and by whom.

    draft ──submit──▶ in_review ──approve──▶ approved ──publish──▶ published ──withdraw──▶ withdrawn
      ▲                   │                      │                                          │
      └──────reject (a comment is required)──────┘                                          │
      └───────────────────────────────reopen (back to draft, to correct it)─────────────────┘

Once submitted, an issue's content is frozen: only ``reject`` (or ``reopen`` of a withdrawn issue)
sends it back to draft where editors may change it again. A withdrawn issue is never published
again as it stands: it is reopened as a draft and goes through review once more.

``perform`` locks the issue row and updates it only if it is still in the state the step starts
from, so a double click or two reviewers at once cannot apply a step twice.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import revisions

from . import notifications


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @property
    def is_frozen(self):
        """Once submitted, an issue's content is frozen for editors until it is sent back."""
        return self != Status.DRAFT


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    sources: tuple
    target: str
    permission: str
    needs_comment: bool = False
    done_message: str = ""

    def allows_from(self, status):
        return status in self.sources


STEPS = {
    step.name: step
    for step in [
        Step(
            "submit",
            _("Submit for review"),
            (Status.DRAFT,),
            Status.IN_REVIEW,
            "bulletin.submit_issue",
            done_message=_("The issue was submitted for review."),
        ),
        Step(
            "approve",
            _("Approve"),
            (Status.IN_REVIEW,),
            Status.APPROVED,
            "bulletin.review_issue",
            done_message=_("The issue was approved."),
        ),
        Step(
            "reject",
            _("Send back to draft"),
            (Status.IN_REVIEW, Status.APPROVED),
            Status.DRAFT,
            "bulletin.review_issue",
            needs_comment=True,
            done_message=_("The issue was sent back to draft."),
        ),
        Step(
            "publish",
            _("Publish"),
            (Status.APPROVED,),
            Status.PUBLISHED,
            "bulletin.publish_issue",
            done_message=_("The issue was published."),
        ),
        Step(
            "withdraw",
            _("Withdraw"),
            (Status.PUBLISHED,),
            Status.WITHDRAWN,
            "bulletin.publish_issue",
            done_message=_("The issue was withdrawn; members no longer see it."),
        ),
        Step(
            "reopen",
            _("Reopen as draft"),
            (Status.WITHDRAWN,),
            Status.DRAFT,
            "bulletin.publish_issue",
            done_message=_("The issue is a draft again."),
        ),
    ]
}


def step_of(transition):
    """The step a recorded transition took (its two states name exactly one step)."""
    return next(
        step
        for step in STEPS.values()
        if step.target == transition.to_status and step.allows_from(transition.from_status)
    )


def may(user, step_name):
    """Whether ``user`` holds the permission of a step (whatever the state of the issue)."""
    return bool(user and user.is_active and user.has_perm(STEPS[step_name].permission))


def works_on(user, issue):
    """Whether ``user`` works on the committee that publishes ``issue``: the staff of a higher
    committee follow its issues but take no step on them."""
    return type(issue)._default_manager.editable_by(user).filter(pk=issue.pk).exists()


def available_steps(issue, user):
    """The steps ``user`` may take on ``issue`` now, in the order of the workflow."""
    if not works_on(user, issue):
        return []
    return [
        step for step in STEPS.values() if step.allows_from(issue.status) and may(user, step.name)
    ]


def perform(issue, step_name, by, *, comment="", at=None, site_url=None):
    """Take one step of the workflow, record it and tell the people concerned.

    ``site_url``, the address of the site as the request reached it, is where mails link to.

    Raises ``PermissionDenied`` when ``by`` may not take the step and ``ValidationError`` when
    the issue's state does not allow it. ``issue`` is updated in place.
    """
    step = STEPS[step_name]
    if not may(by, step_name):
        raise PermissionDenied(
            _("You are not allowed to “%(step)s” an issue.") % {"step": step.label}
        )
    if not works_on(by, issue):
        raise PermissionDenied(_("This issue belongs to a committee you do not work for."))
    comment = (comment or "").strip()
    if step.needs_comment and not comment:
        raise ValidationError(
            _("Please write a comment saying what must be changed."), code="comment_required"
        )
    now = timezone.now()
    published_at = None
    if step.name == "publish":
        published_at = at or now
        if timezone.is_naive(published_at):
            published_at = timezone.make_aware(published_at)
        if published_at < now - datetime.timedelta(minutes=5):
            raise ValidationError(
                _("The publication time is in the past; leave it empty to publish now."),
                code="past",
            )

    with transaction.atomic():
        # The issue's own manager: this module knows the states, not the models that hold them.
        issues = type(issue)._default_manager
        current = issues.select_for_update().filter(pk=issue.pk).first()
        if current is None:
            raise ValidationError(_("This issue no longer exists."), code="missing")
        if not step.allows_from(current.status):
            raise ValidationError(
                _("An issue that is “%(status)s” cannot be “%(step)s”.")
                % {"status": Status(current.status).label, "step": step.label},
                code="wrong_state",
            )
        changes = {"status": step.target, "updated_at": now, "version": F("version") + 1}
        if step.name == "publish":
            changes["published_at"] = published_at
        elif step.name == "reopen":
            changes["published_at"] = None
        # Conditional on the state read under the lock: a second click finds nothing to update.
        updated = issues.filter(pk=issue.pk, status=current.status).update(**changes)
        if not updated:
            raise ValidationError(
                _("Someone else changed this issue's state at the same moment; reload the page."),
                code="conflict",
            )
        # The notice is queued when the step is recorded (bulletin.signals), linking here.
        with notifications.linking_to(site_url):
            transition = issue.transitions.create(
                from_status=current.status,
                to_status=step.target,
                by=by,
                at=now,
                comment=comment,
            )
        # The issue's history ("Lịch sử") tells each step with who took it.
        revisions.record(
            issues.get(pk=issue.pk),
            user=by,
            comment=f"{step.label}: {comment}" if comment else step.label,
        )
    fresh = issues.get(pk=issue.pk)
    issue.status, issue.published_at = fresh.status, fresh.published_at
    issue.version, issue.updated_at = fresh.version, fresh.updated_at
    return transition
