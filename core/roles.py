"""The board's four roles: groups of users, each with its permissions.

The one place that names them. The roles migration, the workflow's mail, the member import and
the demo accounts all read the names from here.
"""

from django.db import models


class Role(models.TextChoices):
    EDITOR = "Biên tập viên"
    REVIEWER = "Lãnh đạo Ban"
    OFFICIAL = "Cán bộ"
    MEMBER = "Đảng viên"

    @property
    def is_staff(self):
        """Editors and reviewers work in the admin; officials and members read the site."""
        return self in (Role.EDITOR, Role.REVIEWER)


PERMISSIONS = {
    Role.EDITOR: [
        "bulletin.view_issue",
        "bulletin.add_issue",
        "bulletin.change_issue",
        "bulletin.submit_issue",
        "bulletin.preview_issue",
        "bulletin.export_pdf",
        "bulletin.view_entry",
        "bulletin.add_entry",
        "bulletin.change_entry",
        "bulletin.delete_entry",
        "bulletin.view_footnote",
        "bulletin.add_footnote",
        "bulletin.change_footnote",
        "bulletin.delete_footnote",
        "documents.view_document",
        "documents.add_document",
        "documents.change_document",
        "documents.view_issuer",
        "documents.add_issuer",
        "documents.change_issuer",
        "documents.view_abbreviation",
        "documents.add_abbreviation",
        "documents.change_abbreviation",
        "news.view_newsitem",
        "news.add_newsitem",
        "news.change_newsitem",
        "news.delete_newsitem",
        "news.view_photo",
        "news.add_photo",
        "news.change_photo",
        "news.delete_photo",
    ],  # fmt: skip
    Role.REVIEWER: [
        "bulletin.view_issue",
        "bulletin.change_issue",
        "bulletin.review_issue",
        "bulletin.publish_issue",
        "bulletin.preview_issue",
        "bulletin.export_pdf",
        "bulletin.view_download_log",
        "bulletin.view_download",
        "bulletin.view_transition",
        "bulletin.view_rendition",
        "bulletin.view_entry",
        "bulletin.view_footnote",
        "documents.view_document",
        "documents.view_issuer",
        "documents.view_abbreviation",
        "news.view_newsitem",
        "news.view_photo",
    ],  # fmt: skip
    Role.OFFICIAL: ["bulletin.export_pdf"],
    Role.MEMBER: [],
}


def grant_roles(Group, Permission):  # noqa: N803 -- historical models in a migration
    """Create the groups with their permissions. Takes the model classes so that the roles
    migration can pass its historical models, and tests that flush the database the real ones."""
    for role, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
