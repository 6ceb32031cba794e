"""Committees: their short names, the old addresses, the commands that set them up, the demo."""

import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from bulletin.models import Committee, Issue, Status, Visibility
from members.importer import import_members
from members.models import Profile
from tests.factories import make_committee, make_issue, make_user
from tests.site_data import published

pytestmark = pytest.mark.django_db

S002 = settings.BASE_DIR / "samples" / "002_c75a862ff3ffb303.txt"


def call(*args):
    out = io.StringIO()
    call_command(*map(str, args), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("slug", ["admin", "documents", "news", "search", "media", "feed",
                                  "sitemap.xml", "healthz", "login", "logout", "static",
                                  "password_reset", "sw.js", "issues"])  # fmt: skip
def test_a_slug_may_not_be_a_path_of_the_site(slug):
    committee = Committee(name="HUYỆN ỦY HÒA AN", board="BAN TUYÊN GIÁO", slug=slug)
    with pytest.raises(ValidationError) as refusal:
        committee.full_clean()
    assert "slug" in refusal.value.message_dict


@pytest.mark.parametrize("slug", ["Huyen-Uy", "huyện-ủy", "huyen--uy", "-huyen", "huyen uy"])
def test_a_slug_is_plain_lower_case_words(slug):
    with pytest.raises(ValidationError):
        Committee(name="HUYỆN ỦY HÒA AN", board="BAN TUYÊN GIÁO", slug=slug).full_clean()


def test_a_committee_cannot_sit_under_itself():
    top = make_committee("tinh-uy")
    district = make_committee("huyen-uy-hoa-an", parent=top)
    top.parent = district
    with pytest.raises(ValidationError):
        top.full_clean()


def test_one_issue_per_committee_and_month():
    make_issue(year=2024, month=6)
    make_issue(year=2024, month=6, committee=make_committee("huyen-uy-hoa-an"))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_issue(year=2024, month=6)


def test_the_old_addresses_move_for_good_to_the_default_committee(client):
    issue = published(year=2024, month=6, visibility=Visibility.PUBLIC)
    for old, new in [
        ("/issues/", "/thanh-uy/issues/"),
        ("/issues/2024/", "/thanh-uy/issues/2024/"),
        ("/issues/2024/6/", "/thanh-uy/issues/2024/6/"),
        ("/issues/2024/6/pdf/?paper=A5", "/thanh-uy/issues/2024/6/pdf/?paper=A5"),
        ("/feed/", "/thanh-uy/feed/"),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new)
    assert client.get(issue.get_absolute_url()).status_code == 200


def test_the_landing_page_lists_committees_with_issues_the_reader_may_see(client):
    district = make_committee("huyen-uy-hoa-an", name="HUYỆN ỦY HÒA AN")
    make_committee("huyen-uy-tra-linh", name="HUYỆN ỦY TRÀ LĨNH")  # nothing published
    published(year=2024, month=5, visibility=Visibility.PUBLIC)
    published(year=2024, month=6, visibility=Visibility.PUBLIC, committee=district)
    published(year=2024, month=7, visibility=Visibility.MEMBERS, committee=district)
    html = client.get("/").text
    assert "THÀNH ỦY CAO BẰNG" in html and "HUYỆN ỦY HÒA AN" in html
    assert "TRÀ LĨNH" not in html
    assert "/huyen-uy-hoa-an/issues/2024/6/" in html  # the latest the visitor may see
    assert "/huyen-uy-hoa-an/issues/2024/7/" not in html
    assert client.get("/huyen-uy-tra-linh/").status_code == 200
    assert client.get("/khong-co/").status_code == 404


def test_add_committee_command():
    output = call(
        "add_committee", "tinh-uy", "--committee", "TỈNH ỦY CAO BẰNG", "--board", "BAN TUYÊN GIÁO"
    )
    assert "/tinh-uy/" in output
    call("add_committee", "huyen-uy-hoa-an", "--committee", "HUYỆN ỦY HÒA AN", "--board",
         "BAN TUYÊN GIÁO", "--parent", "tinh-uy")  # fmt: skip
    assert Committee.objects.get(slug="huyen-uy-hoa-an").parent.slug == "tinh-uy"
    with pytest.raises(CommandError, match="đã là một trang"):
        call("add_committee", "news", "--committee", "X", "--board", "Y")
    with pytest.raises(CommandError, match="khong-co"):
        call("add_committee", "huyen-x", "--committee", "X", "--board", "Y", "--parent", "khong-co")
    with pytest.raises(CommandError):
        call("add_committee", "tinh-uy", "--committee", "X", "--board", "Y")  # taken
    assert Committee.objects.count() == 3


def test_import_bulletin_into_a_committee():
    district = make_committee("huyen-uy-hoa-an", name="HUYỆN ỦY HÒA AN")
    call("import_bulletin", S002)
    call("import_bulletin", S002, "--committee", "huyen-uy-hoa-an")
    assert sorted(Issue.objects.values_list("committee__slug", "month", "year")) == [
        ("huyen-uy-hoa-an", 6, 2024),
        ("thanh-uy", 6, 2024),
    ]
    # The cover is kept as printed; the committee is the publisher.
    assert Issue.objects.get(committee=district).cover_committee == "THÀNH ỦY CAO BẰNG"
    with pytest.raises(CommandError, match="khong-co"):
        call("import_bulletin", S002, "--committee", "khong-co")


def test_member_csv_names_the_committee(mailoutbox):
    district = make_committee("huyen-uy-hoa-an")
    report = import_members(
        "Nguyễn Văn A,a@example.com,Chi bộ 1\nTrần Thị B,b@example.com,Chi bộ 2,huyen-uy-hoa-an\n"
    )
    assert report.ok, report.errors
    assert dict(Profile.objects.values_list("full_name", "committee__slug")) == {
        "Nguyễn Văn A": "thanh-uy",
        "Trần Thị B": "huyen-uy-hoa-an",
    }
    # Staff may add members only to the committees they work on.
    report = import_members(
        "Lê C,c@example.com,Chi bộ 3,huyen-uy-hoa-an\n",
        committees=Committee.objects.exclude(pk=district.pk),
    )
    assert not report.ok
    assert "huyen-uy-hoa-an" in report.errors[0]
    assert not Profile.objects.filter(full_name="Lê C").exists()


def test_workflow_mail_goes_to_the_reviewers_of_the_issues_committee(
    mailoutbox, django_capture_on_commit_callbacks
):
    district = make_committee("huyen-uy-hoa-an")
    editor = make_user(group="Biên tập viên", is_staff=True)
    make_user("lanhdao-city", group="Lãnh đạo Ban", is_staff=True)
    make_user("lanhdao-district", group="Lãnh đạo Ban", is_staff=True, committee=district)
    # The notice leaves when the step's transaction commits (bulletin/signals.py).
    with django_capture_on_commit_callbacks(execute=True):
        make_issue(year=2024, month=6).submit(editor)
    assert [message.to for message in mailoutbox] == [["lanhdao-city@example.com"]]


def test_demo_has_two_committees_with_their_own_accounts():
    output = call("setup_demo")
    city, district = Committee.objects.default(), Committee.objects.get(slug="huyen-uy-hoa-an")
    assert set(Issue.objects.values_list("committee__slug", flat=True)) == {
        city.slug,
        district.slug,
    }
    assert Issue.objects.filter(committee=district, status=Status.PUBLISHED).count() == 1
    assert "bientap-hoaan / " in output and "/huyen-uy-hoa-an/" in output
    assert district.staff.filter(username="bientap-hoaan").exists()
    assert Profile.objects.get(user__username="dangvien-hoaan").committee == district
    assert not city.staff.filter(username="bientap-hoaan").exists()


def test_the_readership_report_goes_to_each_committees_own_leaders(mailoutbox):
    from members.report import send_readership_report

    district = make_committee("huyen-uy-hoa-an")
    make_user("lanhdao-city", group="Lãnh đạo Ban", is_staff=True)
    make_user("lanhdao-district", group="Lãnh đạo Ban", is_staff=True, committee=district)
    published(year=2024, month=5)
    published(year=2024, month=6, committee=district)
    city_report = send_readership_report()
    district_report = send_readership_report(district)
    assert (city_report.issue.committee, city_report.recipients) == (
        Committee.objects.default(),
        ["lanhdao-city@example.com"],
    )
    assert (district_report.issue.committee, district_report.recipients) == (
        district,
        ["lanhdao-district@example.com"],
    )
