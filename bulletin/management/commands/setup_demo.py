"""Demo data for `make demo`: two committees (the city and one district), the sample issues split
between them and published, and one account per role and committee."""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand

from bulletin import notifications
from bulletin.importing import import_into_draft
from bulletin.models import Committee, Issue
from core.roles import Role

SAMPLES_DIR = settings.BASE_DIR / "samples"

# The district of the demo: slug, committee, board. The city is the default committee.
DISTRICT = ("huyen-uy-hoa-an", "HUYỆN ỦY HÒA AN", "BAN TUYÊN GIÁO")
# The samples the district publishes; the others are the city's.
DISTRICT_SAMPLES = {"001_e8715dad375a7192.txt"}

# Username, password, group (None for a superuser), committee (None: the city's). Printed on
# the console for the demo.
DEMO_ACCOUNTS = [
    ("admin", "admin-demo-2024", None, None),
    ("bientap", "bientap-demo-2024", Role.EDITOR, None),
    ("lanhdao", "lanhdao-demo-2024", Role.REVIEWER, None),
    ("canbo", "canbo-demo-2024", Role.OFFICIAL, None),
    ("dangvien", "dangvien-demo-2024", Role.MEMBER, None),
    ("bientap-hoaan", "bientap-hoaan-demo-2024", Role.EDITOR, DISTRICT[0]),
    ("lanhdao-hoaan", "lanhdao-hoaan-demo-2024", Role.REVIEWER, DISTRICT[0]),
    ("dangvien-hoaan", "dangvien-hoaan-demo-2024", Role.MEMBER, DISTRICT[0]),
]


class Command(BaseCommand):
    help = "Create the demo accounts and load the sample issues (idempotent)."

    def handle(self, *args, **options):
        User = get_user_model()
        city = Committee.objects.default()
        slug, name, board = DISTRICT
        district, _ = Committee.objects.get_or_create(
            slug=slug, defaults={"name": name, "board": board}
        )
        committees = {None: city, slug: district}
        for username, password, group_name, committee_slug in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_staff = group_name is None or group_name.is_staff
            user.is_superuser = group_name is None
            user.email = f"{username}@example.com"
            user.save()
            if not group_name:
                continue
            user.groups.set([Group.objects.get(name=group_name)])
            committee = committees[committee_slug]
            if group_name.is_staff:
                committee.staff.add(user)
            else:
                # Readers belong to their party cell's committee (members.Profile, reached
                # through the committee: the bulletin does not import the members app).
                committee.profiles.update_or_create(
                    user=user,
                    defaults={"full_name": username.title(), "party_cell": "Chi bộ demo"},
                )

        manifest = json.loads((SAMPLES_DIR / "manifest.json").read_text(encoding="utf-8"))
        # Publishing the samples walks the workflow, which mails the reviewers: with the console
        # backend of development that printed raw e-mails amid the demo's output (and with SMTP
        # it would write to the example.com accounts). The demo queues no notice.
        with notifications.silenced():
            for filename, when in manifest.items():
                if filename.startswith("_"):
                    continue
                committee = district if filename in DISTRICT_SAMPLES else city
                self.load_sample(SAMPLES_DIR / filename, when, committee)

        self.stdout.write(self.style.SUCCESS("Committees:"))
        for committee in (city, district):
            self.stdout.write(f"  /{committee.slug}/  {committee.board}, {committee.name}")
        self.stdout.write(self.style.SUCCESS("Demo accounts (username / password, role):"))
        for username, password, group_name, committee_slug in DEMO_ACCOUNTS:
            where = committees[committee_slug].name if group_name else "mọi đơn vị"
            self.stdout.write(f"  {username} / {password}  ({group_name or 'superuser'}, {where})")

    def load_sample(self, path, when, committee):
        if Issue.objects.filter(
            committee=committee, month=when["month"], year=when["year"]
        ).exists():
            self.stdout.write(f"{path.name}: already loaded as {when['month']}/{when['year']}")
            return
        admin = get_user_model().objects.get(username="admin")
        issue = import_into_draft(
            path, month=when["month"], year=when["year"], committee=committee
        ).issue
        if committee.slug != Committee.objects.default().slug:
            # The samples are the city's: the district's demo issue prints its own cover.
            issue.cover_committee, issue.cover_board = committee.name, committee.board
            issue.save(update_fields=["cover_committee", "cover_board"])
        # The demo walks the real workflow, so the history shows how an issue gets published.
        issue.submit(admin)
        issue.approve(admin)
        issue.publish(admin)
        self.stdout.write(f"Loaded {path.name}: {issue}, published")
