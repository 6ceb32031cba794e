"""Demo data for `make demo`: the sample issues, published, and one account per role."""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand

from bulletin import notifications
from bulletin.importing import import_into_draft
from bulletin.models import Issue
from core.roles import Role

SAMPLES_DIR = settings.BASE_DIR / "samples"

# Username, password, group (None for a superuser). Printed on the console for the demo.
DEMO_ACCOUNTS = [
    ("admin", "admin-demo-2024", None),
    ("bientap", "bientap-demo-2024", Role.EDITOR),
    ("lanhdao", "lanhdao-demo-2024", Role.REVIEWER),
    ("canbo", "canbo-demo-2024", Role.OFFICIAL),
    ("dangvien", "dangvien-demo-2024", Role.MEMBER),
]


class Command(BaseCommand):
    help = "Create the demo accounts and load the sample issues (idempotent)."

    def handle(self, *args, **options):
        User = get_user_model()
        for username, password, group_name in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_staff = group_name is None or group_name.is_staff
            user.is_superuser = group_name is None
            user.email = f"{username}@example.com"
            user.save()
            if group_name:
                user.groups.set([Group.objects.get(name=group_name)])

        manifest = json.loads((SAMPLES_DIR / "manifest.json").read_text(encoding="utf-8"))
        # Publishing the samples walks the workflow, which mails the reviewers: with the console
        # backend of development that printed raw e-mails amid the demo's output (and with SMTP
        # it would write to the example.com accounts). The demo queues no notice.
        with notifications.silenced():
            for filename, when in manifest.items():
                if filename.startswith("_"):
                    continue
                self.load_sample(SAMPLES_DIR / filename, when)

        self.stdout.write(self.style.SUCCESS("Demo accounts (username / password, role):"))
        for username, password, group_name in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username} / {password}  ({group_name or 'superuser'})")

    def load_sample(self, path, when):
        if Issue.objects.filter(month=when["month"], year=when["year"]).exists():
            self.stdout.write(f"{path.name}: already loaded as {when['month']}/{when['year']}")
            return
        admin = get_user_model().objects.get(username="admin")
        issue = import_into_draft(path, month=when["month"], year=when["year"]).issue
        # The demo walks the real workflow, so the history shows how an issue gets published.
        issue.submit(admin)
        issue.approve(admin)
        issue.publish(admin)
        self.stdout.write(f"Loaded {path.name}: {issue}, published")
