"""The board's four roles as groups with their permissions."""

from django.db import migrations

ROLES = {
    "Biên tập viên": [
        "bulletin.view_issue", "bulletin.add_issue", "bulletin.change_issue",
        "bulletin.submit_issue", "bulletin.preview_issue", "bulletin.export_pdf",
        "bulletin.view_entry", "bulletin.add_entry", "bulletin.change_entry",
        "bulletin.delete_entry",
        "bulletin.view_footnote", "bulletin.add_footnote", "bulletin.change_footnote",
        "bulletin.delete_footnote",
        "documents.view_document", "documents.add_document", "documents.change_document",
        "documents.view_issuer", "documents.add_issuer", "documents.change_issuer",
        "documents.view_abbreviation", "documents.add_abbreviation",
        "documents.change_abbreviation",
        "news.view_newsitem", "news.add_newsitem", "news.change_newsitem",
        "news.delete_newsitem",
        "news.view_photo", "news.add_photo", "news.change_photo", "news.delete_photo",
    ],
    "Lãnh đạo Ban": [
        "bulletin.view_issue", "bulletin.change_issue", "bulletin.review_issue",
        "bulletin.publish_issue", "bulletin.preview_issue", "bulletin.export_pdf",
        "bulletin.view_download_log", "bulletin.view_download", "bulletin.view_transition",
        "bulletin.view_rendition",
        "bulletin.view_entry", "bulletin.view_footnote",
        "documents.view_document", "documents.view_issuer", "documents.view_abbreviation",
        "news.view_newsitem", "news.view_photo",
    ],
    "Cán bộ": ["bulletin.export_pdf"],
    "Đảng viên": [],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    grant_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def grant_roles(Group, Permission):
    """Create the groups with their permissions (also used by tests that flush the database)."""
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("bulletin", "0001_initial"),
        ("documents", "0001_initial"),
        ("news", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
