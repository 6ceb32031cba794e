"""What readers see on the site's pages."""

import re

import pytest
from django.core.management import call_command
from django.test import override_settings

from bulletin.models import Entry, EntryKind, Visibility
from documents.linking import render_body
from documents.models import Abbreviation, DocumentType
from tests.factories import (
    make_document,
    make_entry,
    make_news_item,
    make_photo,
    make_user,
)
from tests.site_data import build_site, png_file, published

pytestmark = pytest.mark.django_db


def public_issue(**fields):
    fields.setdefault("year", 2024)
    fields.setdefault("month", 6)
    return published(visibility=Visibility.PUBLIC, **fields)


def test_issue_page_shows_cover_contents_and_numbers(client):
    issue = public_issue()
    make_entry(
        issue, title="Giới thiệu sách", body='<p>Văn bản<sup class="footnote-ref">1</sup>.</p>'
    )
    Entry.objects.get(title="Giới thiệu sách").footnotes.create(
        position=1, text="<p>Ghi chú một.</p>"
    )
    for n in range(2, 5):
        make_entry(issue, title=f"Bài số {n}")
    section = make_entry(issue, kind=EntryKind.NEWS, title="Tin hoạt động", body="")
    first = make_news_item(section, title="Trao Huy hiệu Đảng")
    make_news_item(section, title="Hội nghị quán triệt")
    make_photo(first, caption="Đồng chí Bí thư trao Huy hiệu")
    html = client.get(issue.get_absolute_url()).content.decode()
    assert "THÀNH ỦY CAO BẰNG" in html and "BAN TUYÊN GIÁO" in html
    assert "Tháng 6 năm 2024" in html
    assert "SỬ DỤNG VÀ BẢO QUẢN TRONG NỘI BỘ CỦA ĐẢNG" in html
    assert "Nội dung" in html
    assert '<span class="number">5.1.</span> Trao Huy hiệu Đảng' in html
    assert '<span class="number">5.2.</span> Hội nghị quán triệt' in html
    assert '<span class="number">4.</span> Bài số 4' in html
    # A photo still to be uploaded shows its caption only.
    assert "<figcaption>Đồng chí Bí thư trao Huy hiệu" in html
    assert "<img" not in html
    # Footnotes: marker linked to the note, note linked back.
    entry = Entry.objects.get(title="Giới thiệu sách")
    assert f'href="#fn-{entry.pk}-1"' in html
    assert f'id="fn-{entry.pk}-1"' in html
    assert f'href="#fnref-{entry.pk}-1"' in html
    assert html.count("<h1") == 1


def test_photo_with_image_has_caption_as_alt(client):
    issue = public_issue()
    section = make_entry(issue, kind=EntryKind.NEWS, title="Tin hoạt động", body="")
    make_photo(make_news_item(section), caption="Trồng cây", image=png_file())
    html = client.get(issue.get_absolute_url()).content.decode()
    assert re.search(r'<img src="/media/photos/[^"]+" alt="Trồng cây"', html)


@pytest.mark.parametrize("count", [3, 30])
def test_issue_page_runs_constant_queries(client, django_assert_max_num_queries, count):
    issue = public_issue()
    member = make_user(group="Đảng viên")
    for n in range(count):
        entry = make_entry(issue, kind=EntryKind.DOCUMENT, title=f"Văn bản {n}")
        entry.footnotes.create(position=1, text="<p>Chú thích</p>")
    section = make_entry(issue, kind=EntryKind.NEWS, title="Tin hoạt động", body="")
    for n in range(count):
        make_photo(make_news_item(section, title=f"Tin {n}"))
    client.force_login(member)
    # The same number whatever the size: session, user, the reader's two permission lookups
    # (which cached pages they may share), the committees they read (the page cache keeps
    # apart what each committee's members may see), the next scheduled publication
    # (core/pagecache.py), the issue, its entries, footnotes, news items and photos, and the
    # reading recorded.
    with django_assert_max_num_queries(12):
        response = client.get(issue.get_absolute_url())
    assert response.status_code == 200
    assert f"Tin {count - 1}" in response.content.decode()


def test_issue_page_answers_conditional_requests(client):
    issue = public_issue()
    make_entry(issue, title="Bài một")
    response = client.get(issue.get_absolute_url())
    assert response.has_header("ETag") and response.has_header("Last-Modified")
    again = client.get(issue.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    entry = issue.entries.get()
    entry.title = "Bài một (sửa)"
    entry.save()
    changed = client.get(issue.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200
    assert "Bài một (sửa)" in changed.content.decode()


def test_citations_link_to_the_registry_and_fill_cites(client):
    cited = make_document(doc_type=DocumentType.RESOLUTION, number="12-NQ/TW", subject="lực lượng")
    summarised = make_document(doc_type=DocumentType.DIRECTIVE, number="29-CT/TU")
    issue = public_issue()
    entry = make_entry(
        issue,
        kind=EntryKind.DOCUMENT,
        document=summarised,
        title="Chỉ thị số 29-CT/TU",
        body="<p>Thực hiện Nghị quyết số 12-NQ/TW, ngày 15/04/2024 của Bộ Chính trị "
        "về bảo đảm ANTT.</p>",
    )
    assert f'<a class="citation" href="/documents/{cited.pk}/">Nghị quyết số 12-NQ/TW' in (
        entry.body_html
    )
    assert '<abbr title="An ninh trật tự">ANTT</abbr>' in entry.body_html
    assert list(entry.cited_documents.all()) == [cited]
    html = client.get(summarised.get_absolute_url()).content.decode()
    assert "Văn bản được dẫn chiếu" in html and cited.get_absolute_url() in html
    assert issue.get_absolute_url() in html  # the summary links to its issue
    html = client.get(cited.get_absolute_url()).content.decode()
    assert "Văn bản dẫn chiếu văn bản này" in html and summarised.get_absolute_url() in html


def test_render_body_leaves_attributes_and_links_alone():
    Abbreviation.objects.update_or_create(abbreviation="UBND", defaults={"meaning": "Ủy ban"})
    html = '<p><a href="/x/UBND">UBND tỉnh</a> và UBND huyện</p>'
    rendered = render_body(html)
    assert rendered.count("<abbr") == 1
    assert render_body(rendered) == rendered


def test_glossary_is_seeded_and_shown(client):
    assert Abbreviation.objects.filter(abbreviation="HĐND", meaning="Hội đồng nhân dân").exists()
    html = client.get("/documents/glossary/").content.decode()
    assert "TTATXH" in html and "Trật tự an toàn xã hội" in html


def test_refresh_derived_applies_a_new_abbreviation():
    issue = public_issue()
    entry = make_entry(issue, body="<p>Xây dựng NTM ở xã.</p>")
    assert "<abbr" not in entry.body_html
    Abbreviation.objects.create(abbreviation="NTM", meaning="Nông thôn mới")
    call_command("refresh_derived")
    entry.refresh_from_db()
    assert '<abbr title="Nông thôn mới">NTM</abbr>' in entry.body_html


def test_archive_pages_in_vietnamese(client):
    build_site()
    html = client.get("/thanh-uy/issues/").content.decode()
    assert "Lưu trữ" in html and "Năm 2024" in html and "Tháng 5 năm 2024" in html
    html = client.get("/thanh-uy/issues/2024/").content.decode()
    assert "Các số năm 2024" in html


def test_feed_is_atom_with_public_items(client):
    site = build_site()
    response = client.get("/thanh-uy/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert site["public"]["news"].title in body
    assert site["internal"]["news"].title not in body


def test_media_is_streamed_or_handed_to_the_web_server(client):
    site = build_site()
    url = site["public"]["photo"].image.url
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    with override_settings(MEDIA_ACCEL_REDIRECT="/protected-media/"):
        response = client.get(url)
    assert response["X-Accel-Redirect"] == "/protected-media/" + site["public"]["photo"].image.name
    assert client.get("/media/../config/settings/base.py").status_code == 404
    assert client.get("/media/nothing/here.png").status_code in (302, 404)


def test_document_registry_filters(client):
    build_site()
    make_user(group="Đảng viên")
    response = client.get("/documents/", {"doc_type": "chi-thi", "year": "2024"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Loại văn bản" in html and "1 văn bản" in html and "5-CT/TU" in html
    response = client.get("/documents/", {"doc_type": "khong-co"})
    assert response.status_code == 400
    assert "Một số điều kiện lọc không hợp lệ" in response.content.decode()


def test_login_and_password_reset_pages_in_vietnamese(client, mailoutbox):
    assert "Đăng nhập" in client.get("/login/").content.decode()
    user = make_user(group="Đảng viên", email="dv@example.com")
    response = client.post("/password_reset/", {"email": "dv@example.com"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "Đặt mật khẩu đọc bản tin" in mailoutbox[0].subject
    assert user.username in mailoutbox[0].body


def test_registry_pages_keep_the_filters(client):
    for n in range(55):
        make_document(number=f"{n}-KH/TU", doc_type=DocumentType.PLAN)
    staff = make_user(group="Biên tập viên", is_staff=True)
    client.force_login(staff)
    html = client.get("/documents/", {"doc_type": "ke-hoach"}).content.decode()
    assert "?doc_type=ke-hoach&amp;page=2" in html
    assert "Trang 1/2" in html


def test_home_tells_a_visitor_that_issues_are_for_members(client):
    # A members-only issue exists; "no issue yet" would be untrue, so the visitor is sent to log in.
    published(year=2024, month=6, visibility=Visibility.MEMBERS)
    page = client.get("/").content.decode()
    assert "Chưa có số nào" not in page
    assert "Các số bản tin dành cho đảng viên." in page
    assert 'href="/login/">Đăng nhập để đọc.</a>' in page


@pytest.mark.parametrize("path", ["/", "/login/", "/admin/login/"])
def test_a_browser_that_prefers_english_still_gets_vietnamese(client, path):
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi"' in page
    assert "Đăng nhập" in page and "Log in" not in page


def test_every_page_names_an_icon_that_exists(client):
    page = client.get("/")
    assert b'rel="icon" href="/static/favicon.svg"' in page.content
    assert client.get("/static/favicon.svg").status_code == 200


def test_an_abbreviation_with_an_ampersand_is_explained():
    from documents.linking import render_body

    html = render_body(
        "<p>Sở GD&amp;ĐT và UBND tỉnh</p>",
        glossary={"GD&ĐT": "Giáo dục và Đào tạo", "UBND": "Ủy ban nhân dân"},
    )
    assert '<abbr title="Giáo dục và Đào tạo">GD&amp;ĐT</abbr>' in html
    assert '<abbr title="Ủy ban nhân dân">UBND</abbr>' in html
