"""A small site with one issue of each kind of access, shared by the site's tests."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from bulletin.models import EntryKind, Status, Visibility
from tests.factories import make_document, make_entry, make_issue, make_news_item, make_photo

PUBLIC_TITLE = "Bản tin công khai tháng năm"
INTERNAL_TITLE = "Bản tin nội bộ tháng sáu"
DRAFT_TITLE = "Bản thảo tháng bảy"


def png_file(name="anh.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def published(**fields):
    return make_issue(
        status=Status.PUBLISHED, published_at=timezone.now() - datetime.timedelta(days=1), **fields
    )


def build_site():
    """Three issues: public (May 2024), members-only (June 2024), draft (July 2024)."""
    data = {}
    for key, issue in (
        ("public", published(year=2024, month=5, title=PUBLIC_TITLE, visibility=Visibility.PUBLIC)),
        (
            "internal",
            published(year=2024, month=6, title=INTERNAL_TITLE, visibility=Visibility.MEMBERS),
        ),
        ("draft", make_issue(year=2024, month=7, title=DRAFT_TITLE)),
    ):
        document = make_document(
            number=f"{issue.month}-CT/TU",
            doc_type="chi-thi",
            subject=f"văn bản riêng của số {key}",
        )
        make_entry(
            issue,
            kind=EntryKind.DOCUMENT,
            document=document,
            title=f"Chỉ thị số {document.number} của {key}",
            body=f"<p>Tóm tắt văn bản {key}.</p>",
        )
        section = make_entry(issue, kind=EntryKind.NEWS, title="Tin hoạt động", body="")
        news = make_news_item(section, title=f"Tin {key} trao Huy hiệu Đảng")
        photo = make_photo(news, image=png_file(f"{key}.png"), caption=f"Ảnh {key}")
        data[key] = {"issue": issue, "document": document, "news": news, "photo": photo}
    return data


def import_samples(members_only=("001_e8715dad375a7192.txt",)):
    """The three sample issues through the importer, published; ``members_only`` ones stay
    members-only, the others are public. Returns {file name: issue}."""
    import json

    from django.conf import settings

    from bulletin.importing import import_into_draft
    from bulletin.models import Issue

    samples = settings.BASE_DIR / "samples"
    manifest = json.loads((samples / "manifest.json").read_text(encoding="utf-8"))
    issues = {}
    for name, when in manifest.items():
        if name.startswith("_"):
            continue
        issue = import_into_draft(
            samples / name, month=when.get("month"), year=when.get("year")
        ).issue
        Issue.objects.filter(pk=issue.pk).update(
            status=Status.PUBLISHED,
            published_at=timezone.now() - datetime.timedelta(days=1),
            visibility=Visibility.MEMBERS if name in members_only else Visibility.PUBLIC,
        )
        issues[name] = Issue.objects.get(pk=issue.pk)
    return issues
