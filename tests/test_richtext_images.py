"""A picture without its source (saved while its upload was still running) never reaches the
database."""

import pytest

from core.richtext import sanitize_html
from tests.factories import make_news_item


def test_a_figure_whose_upload_had_not_finished_is_dropped():
    assert sanitize_html('<p>Trước.</p><figure class="image"><img></figure><p>Sau.</p>') == (
        "<p>Trước.</p><p>Sau.</p>"
    )
    assert sanitize_html('<p>A<img src="">B</p>') == "<p>AB</p>"


def test_a_caption_typed_under_an_unfinished_upload_is_kept_as_a_paragraph():
    html = (
        '<figure class="image"><img alt="x"><figcaption>Đại biểu dự hội nghị</figcaption></figure>'
    )
    assert sanitize_html(html) == "<p>Đại biểu dự hội nghị</p>"


def test_pictures_and_tables_with_content_are_kept():
    picture = '<figure class="image"><img src="/media/uploads/a.jpg" alt="a"></figure>'
    assert sanitize_html(picture) == picture
    table = '<figure class="table"><table><tbody><tr><td>1</td></tr></tbody></table></figure>'
    assert sanitize_html(table) == table


@pytest.mark.django_db
def test_the_stored_text_has_no_empty_picture():
    item = make_news_item(body='<p>Tin.</p><figure class="image"><img></figure>')
    item.refresh_from_db()
    assert "<img" not in item.body and "<figure" not in item.body
