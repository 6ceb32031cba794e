from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bulletin.models import default_committee_id


class Profile(models.Model):
    """What the board knows of a member beyond the login: full name and party cell."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    full_name = models.CharField(_("full name"), max_length=255)
    party_cell = models.CharField(_("party cell"), max_length=255, blank=True)
    committee = models.ForeignKey(
        "bulletin.Committee",
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        default=default_committee_id,
        related_name="profiles",
        help_text=_(
            "The committee the member's party cell belongs to: the member reads its "
            "members-only issues, and every public one."
        ),
    )

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("admin:auth_user_change", args=[self.user_id])


class Reading(models.Model):
    """A member opened an issue on the site: the first and the latest time. One row per member
    and issue, so the board counts readers, not page views. Never shown per person: the
    readership pages add these rows up by party cell (``members/readership.py``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="readings",
    )
    issue = models.ForeignKey(
        "bulletin.Issue",
        verbose_name=_("issue"),
        on_delete=models.CASCADE,
        related_name="readings",
    )
    first_at = models.DateTimeField(_("first opened"))
    last_at = models.DateTimeField(_("last opened"))

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readership by party cell")
        ordering = ["-last_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "issue"], name="one_reading_per_member_issue")
        ]
        permissions = [("view_readership", _("Can see readership by party cell"))]

    def __str__(self):
        return f"{self.issue} · {self.last_at:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("admin:members_reading_changelist") + f"?issue={self.issue_id}"

    @classmethod
    def record(cls, user, issue, at):
        """Insert or move ``last_at`` on in one statement: the issue page must not wait on a
        read-then-write, and two tabs opening the same issue at once must not collide."""
        cls.objects.bulk_create(
            [cls(user=user, issue=issue, first_at=at, last_at=at)],
            update_conflicts=True,
            unique_fields=["user", "issue"],
            update_fields=["last_at"],
        )
