"""writer.py: a draft issue in one transaction, or nothing."""

import datetime

import pytest

from bulletin.importing.errors import ImportRefused
from bulletin.importing.structure import Caption, ParsedEntry, ParsedIssue, ParsedNewsItem
from bulletin.importing.writer import resolve_month, write_draft
from bulletin.models import Entry, EntryKind, Issue, Status
from documents.citations import parse_citation
from documents.models import Document
from news.models import NewsItem, Photo
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def parsed_issue():
    citation = parse_citation(
        "Kế hoạch số 5-KH/TU, ngày 02/01/2024 của Thành ủy Cao Bằng về tuyên truyền"
    )
    return ParsedIssue(
        entries=[
            ParsedEntry(
                kind=EntryKind.DOCUMENT,
                title="Kế hoạch số 5-KH/TU",
                body="<p>Nội dung.</p>",
                citation=citation,
                footnotes=["Chú thích."],
            ),
            ParsedEntry(
                kind=EntryKind.NEWS,
                title="Tin hoạt động",
                news_items=[
                    ParsedNewsItem(
                        title="Hội nghị",
                        body="<p>Thành ủy tổ chức hội nghị.</p>",
                        captions=[Caption("Quang cảnh hội nghị")],
                        event_date=datetime.date(2024, 1, 5),
                    )
                ],
            ),
        ],
        month=1,
        year=2024,
    )


def test_a_draft_with_its_entries_documents_news_and_photos():
    user = make_user()
    result = write_draft(parsed_issue(), by=user)
    issue = Issue.objects.get()
    assert (issue.status, issue.month, issue.created_by) == (Status.DRAFT, 1, user)
    document, news = issue.entries.all()
    assert document.document.number == "5-KH/TU" and document.footnotes.count() == 1
    assert news.news_items.get().photos.get().caption == "Quang cảnh hội nghị"
    assert result.documents_created == 1
    assert result.entry_ids() == {1: document.pk, 2: news.pk}


def test_a_failure_half_way_writes_nothing(monkeypatch):
    monkeypatch.setattr(Photo, "save", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_draft(parsed_issue())
    assert (Issue.objects.count(), Entry.objects.count(), NewsItem.objects.count()) == (0, 0, 0)
    assert Document.objects.count() == 0


def test_the_same_month_again_is_refused_unless_replaced():
    first = write_draft(parsed_issue()).issue
    with pytest.raises(ImportRefused, match="Đã có bản tin tháng 1/2024"):
        write_draft(parsed_issue())
    second = write_draft(parsed_issue(), replace=True)
    assert second.replaced and Issue.objects.get() == second.issue != first
    assert second.documents_created == 0


@pytest.mark.parametrize(
    ("cover", "given", "message"),
    [
        ((None, None), (None, None), "không ghi tháng và năm"),
        ((6, 2024), (3, 2024), "Trang bìa ghi “Tháng 6 năm 2024”"),
        ((None, None), (13, 2024), "từ 1 đến 12"),
    ],
)
def test_month_refusals(cover, given, message):
    parsed = ParsedIssue(entries=[], month=cover[0], year=cover[1])
    with pytest.raises(ImportRefused, match=message):
        resolve_month(parsed, *given)
