"""Every admin list and change page fits a 1280 px and a 1366 px screen: no sideways scrolling.

Screenshots at 1280 px go to test-artifacts/screenshots/admin-*.png (the README shows a choice of
them, copied to docs/screenshots/)."""

import pytest
from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from bulletin.importing import import_into_draft
from bulletin.models import Download, Transition
from members.models import Profile
from news.models import NewsItem
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_editorial import (  # noqa: F401 (fixtures)
    log_in,
    roles,
    roles_for_each_test,
)
from tests.factories import make_user
from tests.site_data import build_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE_DIR = "samples"
WIDTHS = (1280, 1366)
# Pages of other libraries' models (the task queue, login lockouts) are theirs, not ours.
OURS = {"bulletin", "news", "documents", "members", "auth"}


def pages_to_check():
    """(name, url) of each list page and of a change page (an object's, else the add page)."""
    pages = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label not in OURS:
            continue
        base = f"admin:{opts.app_label}_{opts.model_name}"
        pages.append((f"{opts.app_label}-{opts.model_name}-list", reverse(f"{base}_changelist")))
        first = model_admin.get_queryset(_Request()).order_by("pk").first()
        if first is not None:
            url = reverse(f"{base}_change", args=[first.pk])
        else:
            url = reverse(f"{base}_add")
        pages.append((f"{opts.app_label}-{opts.model_name}-change", url))
    pages.append(("bulletin-issue-import", reverse("admin:bulletin_issue_import")))
    return pages


class _Request:
    """What ModelAdmin.get_queryset reads of a request: a superuser."""

    class user:  # noqa: N801
        is_superuser = True
        is_active = True
        is_authenticated = True

        @staticmethod
        def has_perm(*args):
            return True


def overflow(page):
    """The page's width against the window's, and the elements that run past it."""
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth,"
        " [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' +"
        " e.className).join(' | ')]"
    )


def hidden_columns(page):
    """A list whose table scrolls inside its box hides its last columns: the admin's
    ``.results`` box scrolls instead of the page."""
    return page.evaluate(
        "() => [...document.querySelectorAll('#changelist .results')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).length"
    )


def test_every_admin_page_fits_without_sideways_scrolling(live_server, browser, settings):
    from django.conf import settings as django_settings

    superuser = make_user("quantri", is_superuser=True, is_staff=True)
    Profile.objects.create(user=superuser, full_name="Trần Văn Quản")
    site = build_site()
    # Sample 000 prints no month: March 2024 (samples/manifest.json), free beside build_site's.
    issue = import_into_draft(
        django_settings.BASE_DIR / SAMPLE_DIR / "000_c1a9d393be3cfc51.txt", month=3, year=2024
    ).issue
    Transition.objects.create(
        issue=site["public"]["issue"], from_status="approved", to_status="published", by=superuser
    )
    Download.objects.create(issue=site["public"]["issue"], user=superuser, at=timezone.now())
    assert issue.entries.exists()
    pages = pages_to_check()
    assert len(pages) > 20
    # The imported issue's pages: long titles, many photos waiting for their picture.
    news_item = (
        NewsItem.objects.filter(section__issue=issue).annotate(n=Count("photos")).order_by("-n")[0]
    )
    pages += [
        ("bulletin-issue-change-imported", reverse("admin:bulletin_issue_change", args=[issue.pk])),
        (
            "news-newsitem-change-imported",
            reverse("admin:news_newsitem_change", args=[news_item.pk]),
        ),
        ("bulletin-issue-history", reverse("admin:bulletin_issue_history", args=[issue.pk])),
    ]

    problems = []
    for width in WIDTHS:
        context = browser.new_context(
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            viewport={"width": width, "height": 800},
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        log_in(page, live_server, "quantri")
        for name, url in pages:
            page.goto(live_server.url + url)
            page.wait_for_load_state("load")
            page.wait_for_timeout(150)  # CKEditor and select2 lay themselves out
            scroll_width, inner_width, culprits = overflow(page)
            if scroll_width > inner_width:
                problems.append(
                    f"{width}px {name} {url}: {scroll_width} > {inner_width}: {culprits}"
                )
            if hidden_columns(page):
                problems.append(f"{width}px {name} {url}: the list scrolls sideways in its box")
            if width == 1280:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"admin-{name}.png"))
        context.close()
    assert not problems, "\n".join(problems)


def test_list_columns_are_readable(live_server, page):
    """The issue list at 1280 px: "Thời điểm phát hành" is not clipped and a title takes at
    most two lines."""
    make_user("quantri", is_superuser=True, is_staff=True)
    build_site()
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, "quantri")
    page.goto(live_server.url + reverse("admin:bulletin_issue_changelist"))
    header = page.locator("#result_list thead th", has_text="Thời điểm phát hành")
    clipped = header.evaluate("th => th.scrollWidth > th.clientWidth + 1")
    assert not clipped
    title_cell = page.locator("#result_list tbody tr").first.locator("th, td").nth(1)
    # Lines of text: the distinct tops of the text's boxes.
    lines = title_cell.evaluate(
        "td => { const tops = new Set(); const walk = document.createTreeWalker(td, 4);"
        " while (walk.nextNode()) { if (!walk.currentNode.textContent.trim()) continue;"
        " const r = document.createRange(); r.selectNodeContents(walk.currentNode);"
        " for (const b of r.getClientRects()) tops.add(Math.round(b.bottom)); }"
        " return tops.size; }"
    )
    assert 1 <= lines <= 2
