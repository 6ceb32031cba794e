"""The board's four roles as groups with their permissions."""

from django.db import migrations

# The names and permissions live in core.roles, the one place that spells them; a later change of
# them is a new migration that calls grant_roles again.
from core.roles import PERMISSIONS, grant_roles

def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    grant_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[role.value for role in PERMISSIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("bulletin", "0001_initial"),
        ("documents", "0001_initial"),
        ("news", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
