"""A small archive for ranking tests: the three sample issues through the importer, and two
more issues generated from them, so that every query meets many rows of the same vocabulary.

The generated issues recombine the samples' own sentences (in another order, under headings of
their own) and hold a few rows that only *fold* to common words ("tạp chí", "thì" fold to the
"chi", "thi" of "chỉ thị"): near misses that a good ranking keeps below the real matches."""

import datetime
import random
import re

from django.utils import timezone

from bulletin.models import Entry, EntryKind, Status, Visibility
from core.richtext import html_to_text
from news.models import NewsItem
from tests.factories import make_entry, make_issue, make_news_item
from tests.site_data import import_samples

GENERATED_MONTHS = [(2024, 9), (2024, 10)]

ARTICLE_TITLES = [
    "Sơ kết công tác tuyên giáo sáu tháng đầu năm",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Tạp chí Cộng sản: khi nào thì chi bộ sinh hoạt chuyên đề",
    "Nâng cao chất lượng sinh hoạt chi bộ ở cơ sở",
    "Một số kinh nghiệm trong công tác dân vận",
    "Tăng cường công tác kiểm tra, giám sát của Đảng",
]
NEWS_TITLES = [
    "Hội nghị báo cáo viên tháng này",
    "Ra mắt tạp chí địa phương, thì giờ đọc sách của thanh niên",
    "Gặp mặt các đồng chí cán bộ hưu trí",
    "Tọa đàm về chuyển đổi số trong cơ quan Đảng",
]


def _sentences():
    """The sentences of every imported text, in a stable order."""
    texts = [
        html_to_text(body) for body in Entry.objects.order_by("pk").values_list("body", flat=True)
    ]
    texts += [
        html_to_text(body)
        for body in NewsItem.objects.order_by("pk").values_list("body", flat=True)
    ]
    sentences = []
    for text in texts:
        sentences.extend(s.strip() for s in re.split(r"(?<=[.;])\s+", text) if len(s.split()) > 6)
    return sentences


def _paragraphs(rng, sentences, count):
    return "".join(f"<p>{sentence}</p>" for sentence in rng.sample(sentences, count))


def build_archive():
    """Five published issues (the samples, sample 001 for members only, and two generated
    public ones). Returns the list of issues."""
    issues = list(import_samples().values())
    rng = random.Random(2024)
    sentences = _sentences()
    for index, (year, month) in enumerate(GENERATED_MONTHS):
        issue = make_issue(
            year=year,
            month=month,
            title=f"Tài liệu sinh hoạt chi bộ tháng {month}",
            status=Status.PUBLISHED,
            published_at=timezone.now() - datetime.timedelta(days=1),
            visibility=Visibility.PUBLIC,
        )
        for title in ARTICLE_TITLES[index::2]:
            make_entry(
                issue, kind=EntryKind.ARTICLE, title=title, body=_paragraphs(rng, sentences, 8)
            )
        section = make_entry(issue, kind=EntryKind.NEWS, title="Tin hoạt động", body="")
        for title in NEWS_TITLES[index::2]:
            make_news_item(section, title=title, body=_paragraphs(rng, sentences, 4))
        issues.append(issue)
    return issues
