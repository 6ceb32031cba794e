"""The migration to many committees: existing issues, members and staff keep what they had."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.roles import grant_roles

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def roles_back(django_db_setup, django_db_blocker):
    """A transactional test ends by emptying the database: the roles (data of a migration) are
    put back for the tests that follow, after that flush."""
    yield
    with django_db_blocker.unblock():
        grant_roles(Group, Permission)


BEFORE = [
    ("bulletin", "0007_scan_review"),
    ("members", "0003_reviewers_see_readership"),
]
AFTER = [
    ("bulletin", "0010_issue_committee_required"),
    ("members", "0005_profile_committee_required"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_issues_members_and_staff_join_the_default_committee():
    old = migrate(BEFORE)
    try:
        User = old.get_model("auth", "User")  # noqa: N806
        Issue = old.get_model("bulletin", "Issue")  # noqa: N806
        Profile = old.get_model("members", "Profile")  # noqa: N806
        editor = User.objects.create(username="bientap", is_staff=True)
        member = User.objects.create(username="dangvien")
        Profile.objects.create(user=member, full_name="Nguyễn Văn A", party_cell="Chi bộ 1")
        Issue.objects.create(
            committee="THÀNH ỦY CAO BẰNG", board="BAN TUYÊN GIÁO", month=6, year=2024
        )
        # Another publisher's issue of the same month, allowed by the old rule.
        Issue.objects.create(
            committee="HUYỆN ỦY HÒA AN", board="BAN TUYÊN GIÁO", month=6, year=2024
        )

        new = migrate(AFTER)
        Committee = new.get_model("bulletin", "Committee")  # noqa: N806
        Issue = new.get_model("bulletin", "Issue")  # noqa: N806
        Profile = new.get_model("members", "Profile")  # noqa: N806
        default = Committee.objects.get(slug="thanh-uy")
        assert sorted(Issue.objects.values_list("committee__slug", "cover_committee")) == [
            ("huyen-uy-hoa-an", "HUYỆN ỦY HÒA AN"),
            ("thanh-uy", "THÀNH ỦY CAO BẰNG"),
        ]
        assert Profile.objects.get(user_id=member.pk).committee_id == default.pk
        assert list(default.staff.values_list("username", flat=True)) == [editor.username]
    finally:
        # Back to the latest schema for the tests that follow.
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
