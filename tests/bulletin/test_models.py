import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bulletin.models import Entry, EntryKind, Issue, Status, Visibility
from tests.factories import make_committee, make_entry, make_issue

pytestmark = pytest.mark.django_db


def test_month_outside_1_to_12_is_refused_with_a_clear_message():
    issue = Issue(month=13, year=2024)
    with pytest.raises(ValidationError) as excinfo:
        issue.full_clean()
    assert "month" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.create(month=0, year=2024)


def test_one_issue_per_publisher_and_month():
    make_issue(month=6, year=2024)
    duplicate = Issue(month=6, year=2024)
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "Cấp ủy này đã có bản tin cho tháng đó." in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_another_committee_may_have_the_same_month():
    make_issue(month=6, year=2024)
    other = Issue(month=6, year=2024, committee=make_committee("thanh-uy-bac-kan"))
    other.full_clean()
    other.save()
    assert Issue.objects.filter(month=6, year=2024).count() == 2


def test_cover_defaults_come_from_the_publisher_settings():
    issue = make_issue(month=6, year=2024)
    assert issue.committee.slug == "thanh-uy"
    assert issue.cover_committee == "THÀNH ỦY CAO BẰNG"
    assert issue.cover_board == "BAN TUYÊN GIÁO"
    assert issue.title == "Tài liệu phục vụ sinh hoạt chi bộ"
    assert str(issue) == "Tài liệu phục vụ sinh hoạt chi bộ tháng 6 năm 2024"
    assert issue.get_absolute_url() == "/thanh-uy/issues/2024/6/"


def test_a_document_summary_must_name_its_document():
    issue = make_issue()
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(issue=issue, kind=EntryKind.DOCUMENT, title="Kế hoạch số 1")


def test_entry_body_is_sanitized_and_folded_for_search_on_save():
    entry = make_entry(body='<p onclick="x()">Đảng viên<script>alert(1)</script></p>')
    entry.refresh_from_db()
    assert entry.body == "<p>Đảng viên</p>"
    assert "dang vien" in entry.search_text


def test_entries_are_visible_exactly_when_their_issue_is():
    published = make_issue(
        status=Status.PUBLISHED, published_at=timezone.now(), visibility=Visibility.PUBLIC
    )
    draft = make_issue()
    shown, hidden = make_entry(published), make_entry(draft)
    visible = Entry.objects.visible_to(AnonymousUser())
    assert shown in visible
    assert hidden not in visible
