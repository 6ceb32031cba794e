"""Small factory helpers: each makes one valid object, with keyword overrides."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from bulletin.models import Committee, Entry, EntryKind, Issue
from core.roles import Role
from documents.models import Document, DocumentType, Issuer
from news.models import NewsItem, Photo

_counter = itertools.count(1)


def make_user(username=None, *, group=None, password="pw-for-tests", committee=None, **fields):
    """A user; staff work for ``committee`` (the default committee unless given), as the
    migration to many committees made the existing staff do."""
    username = username or f"user{next(_counter)}"
    fields.setdefault("email", f"{username}@example.com")
    user = get_user_model().objects.create_user(username=username, password=password, **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    works_in_admin = user.is_staff or (group is not None and Role(group).is_staff)
    if works_in_admin and not user.is_superuser:
        (committee or Committee.objects.default()).staff.add(user)
    return user


def make_committee(slug, *, name=None, board="BAN TUYÊN GIÁO", parent=None):
    return Committee.objects.create(
        slug=slug, name=name or slug.replace("-", " ").upper(), board=board, parent=parent
    )


def make_issue(**fields):
    """An issue of the caller's month and year; a year alone gets its first month still free.

    Without either, a year no other call has used, so issues never clash on their month.
    """
    if "month" not in fields:
        if "year" in fields:
            taken = set(Issue.objects.filter(year=fields["year"]).values_list("month", flat=True))
            free = [month for month in range(1, 13) if month not in taken]
            if not free:
                raise ValueError(f"every month of {fields['year']} has an issue: pass month=")
            fields["month"] = free[0]
        else:
            fields["month"] = next(_counter) % 12 + 1
            fields["year"] = 2000 + next(_counter)
    fields.setdefault("year", 2024)
    return Issue.objects.create(**fields)


def make_issuer(name="Thành ủy Cao Bằng"):
    return Issuer.objects.get_or_create(name=name)[0]


def make_document(**fields):
    fields.setdefault("doc_type", DocumentType.PLAN)
    fields.setdefault("number", f"{next(_counter)}-KH/TU")
    fields.setdefault("issued_on", datetime.date(2024, 4, 15))
    fields.setdefault("subject", "phát triển đảng viên năm 2024")
    if "issuer" not in fields:
        fields["issuer"] = make_issuer()
    return Document.objects.create(**fields)


def make_entry(issue=None, **fields):
    issue = issue or make_issue()
    fields.setdefault("title", "Giới thiệu tác phẩm")
    fields.setdefault("body", "<p>Nội dung bài viết.</p>")
    fields.setdefault("position", issue.entries.count() + 1)
    if fields.get("kind") == EntryKind.DOCUMENT and "document" not in fields:
        fields["document"] = make_document()
    return Entry.objects.create(issue=issue, **fields)


def make_news_item(section=None, **fields):
    section = section or make_entry(kind=EntryKind.NEWS, title="Tin hoạt động", body="")
    fields.setdefault("title", "Thành ủy trao Huy hiệu Đảng")
    fields.setdefault("body", "<p>Sáng 15/2, tại Trung tâm Hội nghị tỉnh.</p>")
    fields.setdefault("position", section.news_items.count() + 1)
    return NewsItem.objects.create(section=section, **fields)


def make_photo(news_item=None, **fields):
    news_item = news_item or make_news_item()
    fields.setdefault("caption", "Các đại biểu trồng cây")
    fields.setdefault("position", news_item.photos.count() + 1)
    return Photo.objects.create(news_item=news_item, **fields)
