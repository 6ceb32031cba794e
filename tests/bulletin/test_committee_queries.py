"""Many committees cost no queries: every page runs as many queries for a province of twenty
committees with five years of issues each as for one committee with a handful of issues."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bulletin.models import Committee, Entry, EntryKind, Issue, Status, Visibility
from core.richtext import fold
from core.roles import Role
from members.models import Profile
from tests.factories import make_committee, make_document, make_entry, make_user

pytestmark = pytest.mark.django_db

YEARS = range(2020, 2025)


def publish_months(committee, years, body):
    """An issue for every month of ``years``, each with one article, written in bulk."""
    at = timezone.now() - datetime.timedelta(days=1)
    issues = Issue.objects.bulk_create(
        Issue(
            committee=committee,
            cover_committee=committee.name,
            cover_board=committee.board,
            year=year,
            month=month,
            status=Status.PUBLISHED,
            published_at=at,
            visibility=Visibility.PUBLIC if month % 2 else Visibility.MEMBERS,
        )
        for year in years
        for month in range(1, 13)
    )
    Entry.objects.bulk_create(
        Entry(
            issue=issue,
            position=1,
            kind=EntryKind.ARTICLE,
            title=f"Bài {committee.slug} {issue.month}/{issue.year}",
            body=f"<p>{body}</p>",
            body_html=f"<p>{body}</p>",
            search_text=fold(f"{committee.name} {body}"),
        )
        for issue in issues
    )


def pages(committee):
    slug = committee.slug
    return [
        "/",
        f"/{slug}/",
        f"/{slug}/issues/",
        f"/{slug}/issues/2024/",
        f"/{slug}/issues/2024/5/",
        "/documents/",
        "/news/",
        "/search/?q=dang+vien",
        "/search/?q=dang+vien&all=1",
    ]


def query_counts(client, committee):
    """Queries of each page on its second request (the first fills the fragment caches)."""
    counts = {}
    for url in pages(committee):
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


@pytest.mark.parametrize("role", ["anonymous", "member", "editor"])
def test_pages_run_as_many_queries_for_twenty_committees_as_for_one(
    client, role, django_assert_max_num_queries
):
    city = Committee.objects.default()
    publish_months(city, [2024], "Đảng viên học tập nghị quyết")
    document = make_document(number="29-NQ/TW", subject="đảng viên mới")
    make_entry(
        Issue.objects.get(committee=city, year=2024, month=5),
        kind=EntryKind.DOCUMENT,
        document=document,
        title="Nghị quyết số 29-NQ/TW về đảng viên",
    )
    if role == "member":
        user = make_user(group=Role.MEMBER)
        Profile.objects.create(user=user, full_name="Nguyễn Văn A", committee=city)
        client.force_login(user)
    elif role == "editor":
        client.force_login(make_user(group=Role.EDITOR, is_staff=True, committee=city))
    small = query_counts(client, city)

    province = make_committee("tinh-uy", name="TỈNH ỦY CAO BẰNG")
    for number in range(19):
        district = make_committee(f"huyen-{number}", name=f"HUYỆN ỦY SỐ {number}", parent=province)
        publish_months(district, YEARS, "Đảng viên huyện học tập nghị quyết")
    publish_months(city, [year for year in YEARS if year != 2024], "Đảng viên thành phố")
    assert Issue.objects.count() == 19 * 60 + 60

    for url in pages(city):
        client.get(url)
        with django_assert_max_num_queries(small[url]):
            assert client.get(url).status_code == 200
