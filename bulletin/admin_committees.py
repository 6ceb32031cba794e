"""The admin, one committee at a time.

Staff see the issues of the committees they work on and of those below them
(``IssueQuerySet.overseen_by``), and change only those of their own (``editable_by``). Every
admin of something printed in an issue (entries, footnotes, news, photos) or about an issue (its
history, PDFs, downloads) reaches its issue through ``issue_path`` and takes the same rule.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Committee, Issue, issue_of

# How the issue of a row of each model that admin forms choose from is reached (model labels,
# not imports: the news app's models are above the bulletin's).
CHOICE_ISSUE_PATHS = {
    "bulletin.issue": "pk",
    "bulletin.entry": "issue",
    "news.newsitem": "section__issue",
}


def may_change_issue(user, issue):
    """Whether ``user`` works on the committee of ``issue`` (superusers work on all)."""
    if issue is None or issue.pk is None:
        return True
    return Issue.objects.editable_by(user).filter(pk=issue.pk).exists()


class CommitteeScopedAdminMixin:
    """For a ModelAdmin or an inline whose rows belong to an issue through ``issue_path``."""

    issue_path = "issue"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        overseen = Issue.objects.overseen_by(request.user)
        return queryset.filter(**{f"{self.issue_path}__in": overseen.values("pk")})

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_change_issue(
            request.user, self._issue(obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_change_issue(
            request.user, self._issue(obj)
        )

    # django-reversion lists and restores deleted rows of the whole model, whatever their
    # committee: only superusers, who see every committee, may use them.
    def recoverlist_view(self, request, extra_context=None):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django sends a missing object's change, delete and history pages back to the admin
        # index with "doesn't exist"; another committee's row gets a 404 instead, the same as
        # a row that does not exist, so that nobody learns what the others have.
        raise Http404(_("No such page."))

    @staticmethod
    def _issue(obj):
        # Content says which issue owns it; the records about an issue (its history, PDFs,
        # downloads) hold it as ``issue``.
        return issue_of(obj) or getattr(obj, "issue", None)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Committee and not request.user.is_superuser:
            kwargs["queryset"] = Committee.objects.staffed_by(request.user)
        path = CHOICE_ISSUE_PATHS.get(db_field.related_model._meta.label_lower)
        if path is not None:
            editable = Issue.objects.editable_by(request.user).values("pk")
            queryset = kwargs.get("queryset", db_field.related_model._default_manager.all())
            kwargs["queryset"] = queryset.filter(**{f"{path}__in": editable})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
