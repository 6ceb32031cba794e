"""Nothing executable survives an editor's rich text: stored HTML and the page members read."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from bulletin.models import Entry, Status
from tests.factories import make_issue, make_user

pytestmark = pytest.mark.django_db

# Every payload carries the marker XSS, so it can be traced into the rendered page.
VECTORS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=//evil.example/XSS.js></SCRIPT>",
    "<scr<script>ipt>alert('XSS')</scr</script>ipt>",
    "<script>/*</script><script>alert('XSS')//*/</script>",
    "<img src=x onerror=alert('XSS')>",
    "<img src=x OnErRoR=alert('XSS')>",
    '<img src="x" onerror="alert(\'XSS\')" alt="ok">',
    "<img src=javascript:alert('XSS')>",
    '<img src="data:image/svg+xml;base64,PHN2Zz5YU1M8L3N2Zz4=" alt="XSS">',
    "<img src=`javascript:alert('XSS')`>",
    "<img/src=x/onerror=alert('XSS')>",
    "<img src=x onerror&#61;alert('XSS')>",
    "<body onload=alert('XSS')>",
    "<p onclick=\"alert('XSS')\">bấm vào đây</p>",
    "<p onmouseover=alert('XSS')>di chuột</p>",
    "<a href=\"javascript:alert('XSS')\">liên kết</a>",
    "<a href=\"JaVaScRiPt:alert('XSS')\">liên kết</a>",
    "<a href=\" javascript:alert('XSS')\">liên kết</a>",
    "<a href=\"java\tscript:alert('XSS')\">liên kết</a>",
    "<a href=\"java&#x09;script:alert('XSS')\">liên kết</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('XSS')\">x</a>",
    "<a href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert('XSS')\">x</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4=">XSS</a>',
    "<a href=\"vbscript:msgbox('XSS')\">x</a>",
    '<a href="https://example.org" onclick="alert(\'XSS\')">x</a>',
    '<a href="https://example.org" style="behavior:url(XSS.htc)">x</a>',
    "<svg onload=alert('XSS')>",
    "<svg><script>alert('XSS')</script></svg>",
    "<svg><a xlink:href=\"javascript:alert('XSS')\"><text>x</text></a></svg>",
    "<svg><animate onbegin=alert('XSS') attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('XSS')>",
    "<div style=\"width: expression(alert('XSS'))\">x</div>",
    "<p style=\"background:url(javascript:alert('XSS'))\">x</p>",
    "<style>@import 'javascript:alert(\"XSS\")';</style>",
    "<style>p{background:url('javascript:alert(XSS)')}</style>",
    '<span style="-moz-binding:url(XSS.xml#xss)">x</span>',
    "<iframe src=\"javascript:alert('XSS')\"></iframe>",
    "<iframe srcdoc=\"<script>alert('XSS')</script>\"></iframe>",
    "<object data=\"javascript:alert('XSS')\"></object>",
    "<embed src=\"data:text/html,<script>alert('XSS')</script>\">",
    "<form action=\"javascript:alert('XSS')\"><button>gửi</button></form>",
    "<input onfocus=alert('XSS') autofocus>",
    "<details open ontoggle=alert('XSS')>",
    "<video><source onerror=\"alert('XSS')\"></video>",
    "<audio src=x onerror=alert('XSS')>",
    "<marquee onstart=alert('XSS')>x</marquee>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'XSS\')">',
    "<base href=\"javascript:alert('XSS')//\">",
    "<link rel=stylesheet href=\"javascript:alert('XSS')\">",
    "<table background=\"javascript:alert('XSS')\"><tr><td>x</td></tr></table>",
    "<td onmouseover=alert('XSS')>ô</td>",
    "&lt;script&gt;alert('XSS')&lt;/script&gt;",
    "<<script>script>alert('XSS')<</script>/script>",
    "<!--<script>alert('XSS')</script>-->",
    "<![CDATA[<script>alert('XSS')</script>]]>",
    "<p>ok</p><scr&#0;ipt>alert('XSS')</scr&#0;ipt>",
    '<img src="x" alt="" onerror="alert(\'XSS\')"/><figure class="image" onclick="alert(\'XSS\')">',
    '<figure class="image"><img src="/media/a.jpg" onload="alert(\'XSS\')">'
    "<figcaption onclick=\"alert('XSS')\">chú thích</figcaption></figure>",
    '<sup class="footnote-ref" onclick="alert(\'XSS\')">1</sup>',
    '<a href="#" id="x" onfocus="alert(\'XSS\')" tabindex=1>x</a>',
    "<div><div><div><p><span onclick=\"alert('XSS')\"><b><i>lồng</i></b></span></p></div>"
    "</div></div>",
    "<p title=\"&quot;><script>alert('XSS')</script>\">x</p>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('XSS')>\"></noscript>",
    "<template><script>alert('XSS')</script></template>",
    "<xmp><script>alert('XSS')</script></xmp>",
    "<isindex action=javascript:alert('XSS') type=image>",
]
DANGEROUS_TAGS = {
    "script",
    "svg",
    "iframe",
    "object",
    "embed",
    "style",
    "form",
    "base",
    "meta",
    "link",
}


class Inspector(HTMLParser):
    """Collects everything a browser could execute from a fragment or a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._in = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        self._in.append(tag)
        for name, value in attrs:
            value = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}")
            if name == "style":
                self.problems.append(f"{tag} style")
            if name in ("href", "src", "action", "data", "background", "xlink:href", "srcdoc"):
                if value.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{tag} {name}={value[:30]}")


def problems(html):
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


class MarkerInspector(Inspector):
    """On the whole page only what comes from the payloads matters (the page has its own
    scripts): scripts, styles and attributes that carry the XSS marker."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._tags = []

    def handle_starttag(self, tag, attrs):
        self._tags.append(tag)
        for name, value in attrs:
            if "XSS" in (value or "") and (
                name.startswith("on") or name in ("style", "href", "src")
            ):
                if name in ("href", "src") and not (value or "").strip().lower().startswith(
                    ("javascript:", "data:", "vbscript:")
                ):
                    continue
                self.found.append(f"{tag} {name}")

    def handle_endtag(self, tag):
        if self._tags and self._tags[-1] == tag:
            self._tags.pop()

    def handle_data(self, data):
        if self._tags and self._tags[-1] in ("script", "style") and "XSS" in data:
            self.found.append(f"<{self._tags[-1]}> with XSS")


def test_the_corpus_is_large_enough():
    assert len(VECTORS) >= 50


@pytest.fixture
def issue_with_vectors(client):
    editor = make_user(group="Biên tập viên", is_staff=True)
    client.force_login(editor)
    issue = make_issue(month=9, year=2031, created_by=editor)
    add_url = reverse("admin:bulletin_entry_add")
    for number, vector in enumerate(VECTORS, start=1):
        response = client.post(
            add_url,
            {
                "issue": issue.pk,
                "position": number,
                "kind": "article",
                "title": f"Bài {number}",
                "body": f"<p>Trước {number}</p>{vector}<p>Sau {number}</p>",
                "footnotes-TOTAL_FORMS": "0",
                "footnotes-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 302, vector
    return issue


def test_stored_html_holds_nothing_executable(issue_with_vectors):
    entries = Entry.objects.filter(issue=issue_with_vectors).order_by("position")
    assert entries.count() == len(VECTORS)
    for entry, vector in zip(entries, VECTORS, strict=True):
        assert problems(entry.body) == [], (vector, entry.body)
        assert problems(entry.body_html) == [], (vector, entry.body_html)
        assert f"<p>Trước {entry.position}</p>" in entry.body  # the harmless text stays


def test_the_page_members_read_runs_none_of_it(client, issue_with_vectors):
    issue = issue_with_vectors
    issue.status = Status.PUBLISHED
    issue.published_at = issue.created_at
    issue.save()
    client.force_login(make_user(group="Đảng viên"))
    response = client.get(issue.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Trước 1" in page and f"Sau {len(VECTORS)}" in page
    inspector = MarkerInspector()
    inspector.feed(page)
    assert inspector.found == []


def test_what_the_editor_makes_is_kept():
    editor_html = (
        "<h3>Tiêu đề mục</h3><p><strong>đậm</strong> <i>nghiêng</i> "
        '<a href="https://thanhuy.caobang.gov.vn/">liên kết</a>'
        '<sup class="footnote-ref">1</sup></p>'
        "<ul><li>một</li></ul><ol><li>hai</li></ol><blockquote><p>trích</p></blockquote>"
        '<figure class="table"><table><thead><tr><th>Cột</th></tr></thead>'
        "<tbody><tr><td>ô</td></tr></tbody></table></figure>"
        '<figure class="image"><img src="/media/editor/2024/06/anh.jpg" alt="Ảnh">'
        "<figcaption>Chú thích ảnh</figcaption></figure>"
    )
    entry = Entry.objects.create(issue=make_issue(), title="t", body=editor_html, position=1)
    entry.refresh_from_db()
    for kept in (
        "<h3>",
        "<strong>",
        "<i>",
        'href="https://thanhuy.caobang.gov.vn/"',
        '<sup class="footnote-ref">',
        "<ul>",
        "<ol>",
        "<blockquote>",
        '<figure class="table">',
        "<thead>",
        '<figure class="image">',
        'src="/media/editor/2024/06/anh.jpg"',
        "<figcaption>Chú thích ảnh</figcaption>",
    ):
        assert kept in entry.body, kept


def test_news_and_footnotes_are_cleaned_the_same_way(client):
    from news.models import NewsItem
    from tests.factories import make_entry

    client.force_login(make_user(group="Biên tập viên", is_staff=True))
    section = make_entry(make_issue(month=10, year=2031), kind="news", title="Tin", body="")
    everything = "".join(VECTORS)
    response = client.post(
        reverse("admin:news_newsitem_add"),
        {
            "section": section.pk,
            "position": 1,
            "title": "Tin có mã độc",
            "body": f"<p>Tin</p>{everything}",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert problems(NewsItem.objects.get().body) == []

    entry = make_entry(section.issue, title="Bài có chú thích")
    response = client.post(
        reverse("admin:bulletin_entry_change", args=[entry.pk]),
        {
            "issue": entry.issue_id,
            "position": entry.position,
            "kind": "article",
            "title": entry.title,
            "body": entry.body,
            "edit_version": entry.version,
            "footnotes-TOTAL_FORMS": "1",
            "footnotes-INITIAL_FORMS": "0",
            "footnotes-0-position": "1",
            "footnotes-0-text": f"<p>Chú thích</p>{everything}",
        },
    )
    assert response.status_code == 302
    footnote = entry.footnotes.get()
    assert "Chú thích" in footnote.text
    assert problems(footnote.text) == []
