"""Bytes a phone transfers for the issue page, with and without its photos, against the home
page measured in the same run.

    .venv/bin/python bench/page_weight.py [--photo-side 2000]

Builds a throwaway site in a temporary folder (SQLite, migrated, static files collected, the
three sample issues imported and published as members-only issues, every photo caption given a
generated photo of ``--photo-side`` pixels, as editors upload them, so that its smaller copies
are made), serves it with gunicorn and the production settings on a free port of 127.0.0.1, and
loads pages in Chromium (/usr/bin/chromium, Playwright) as a logged-in member on a phone
(390 × 844 CSS pixels, 2 device pixels per CSS pixel), with an empty browser cache each time:

- the home page (the baseline);
- the latest issue with images refused (the text, styles and scripts: goal < 100 KB);
- the same issue scrolled to the end, so every lazily loaded photo is fetched;
- what its photos would have weighed as uploaded (the originals), for comparison.

Figures are bytes on the wire as Chromium counts them (headers and bodies, after any
compression by the server; gunicorn here, without nginx's gzip). It also prints any request
made to another host (goal: none). Everything is stopped and deleted at the end.
"""

import argparse
import datetime
import io
import shutil
import sys
import tempfile
from pathlib import Path

from harness import (
    build_site,
    free_port,
    production_environment,
    sample_issues,
    start_gunicorn,
    stop_process,
    wait_until_up,
)

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "mat-khau-do-trang"


def photo_bytes(side, seed):
    """A JPEG that compresses like a photograph (noise over a gradient), not like a flat
    colour, so that the sizes measured are those of real photos."""
    from PIL import Image

    height = side * 3 // 4
    noise = Image.effect_noise((side, height), 40 + seed % 20).convert("RGB")
    gradient = Image.linear_gradient("L").resize((side, height)).convert("RGB")
    image = Image.blend(noise, gradient, 0.6)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def load_site(photo_side):
    """Import and publish the samples, attach photos, create a member; return the latest
    issue's path, its photo count and the originals' total size."""
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from bulletin.importing import import_into_draft
    from bulletin.models import Issue, Status, Visibility
    from core.roles import Role
    from news.models import Photo

    for path, when in sample_issues():
        import_into_draft(path, month=when.get("month"), year=when.get("year"))
    Issue.objects.update(
        status=Status.PUBLISHED,
        visibility=Visibility.MEMBERS,
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    issue = Issue.objects.order_by("-year", "-month").first()
    photos = Photo.objects.filter(news_item__section__issue=issue)
    originals = 0
    for index, photo in enumerate(photos):
        content = photo_bytes(photo_side, index)
        originals += len(content)
        photo.image.save(f"anh-{index}.jpg", ContentFile(content), save=True)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("dangvien", password=PASSWORD)
    user.groups.add(Group.objects.get(name=Role.MEMBER.value))
    return issue.get_absolute_url(), photos.count(), originals


def page_bytes(browser, base, path, *, photos, cookies):
    """Bytes transferred to load ``path`` in a fresh phone-sized context; with ``photos``,
    scrolled to the end so that lazy images load, else with every image refused."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, service_workers="block"
    )
    context.add_cookies(cookies)
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    if not photos:
        page.route(
            "**/*",
            lambda route: (
                route.abort() if route.request.resource_type == "image" else route.continue_()
            ),
        )
    page.goto(base + path, wait_until="networkidle")
    if photos:
        height = page.evaluate("document.body.scrollHeight")
        for _ in range(0, height + 844, 600):
            page.mouse.wheel(0, 600)
            page.wait_for_timeout(60)
        page.wait_for_load_state("networkidle")
    total = 0
    images = 0
    foreign = []
    for request in requests:
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        total += size
        if request.resource_type == "image":
            images += size
        if not request.url.startswith(base):
            foreign.append(request.url)
    context.close()
    return total, images, len(requests), foreign


def login_cookies(browser, base):
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/login/")
    page.fill("input[name=username]", "dangvien")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/")
    cookies = context.cookies()
    context.close()
    return cookies


def kb(count):
    return f"{count / 1024:8.1f} KB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photo-side", type=int, default=2000, help="uploaded photos (2000)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is needed (apt-get install chromium)")

    workdir = Path(tempfile.mkdtemp(prefix="bantin-page-weight-"))
    process = None
    try:
        production_environment(workdir)
        build_site("config.settings.prod")
        issue_path, photo_count, originals = load_site(args.photo_side)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = start_gunicorn(
            ["config.wsgi", f"--bind=127.0.0.1:{port}", "--workers=2", "--log-level=warning"],
            workdir / "gunicorn.log",
        )
        wait_until_up(base, "/healthz", process)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            cookies = login_cookies(browser, base)
            home, _, home_requests, home_foreign = page_bytes(
                browser, base, "/", photos=False, cookies=cookies
            )
            bare, _, bare_requests, bare_foreign = page_bytes(
                browser, base, issue_path, photos=False, cookies=cookies
            )
            full, image_bytes, full_requests, full_foreign = page_bytes(
                browser, base, issue_path, photos=True, cookies=cookies
            )
            browser.close()

        print(
            f"phone 390x844 @2x, member logged in, empty cache, gunicorn + production settings; "
            f"issue {issue_path}, {photo_count} photos uploaded at {args.photo_side} px"
        )
        print(f"home page (baseline)          {kb(home)}  {home_requests:3d} requests")
        print(
            f"issue page, images refused    {kb(bare)}  {bare_requests:3d} requests  "
            f"ratio to home {bare / home:.2f}  (goal < 100 KB: "
            f"{'met' if bare < 100 * 1024 else 'NOT met'})"
        )
        print(
            f"issue page, scrolled, photos  {kb(full)}  {full_requests:3d} requests  "
            f"ratio to home {full / home:.2f}"
        )
        print(
            f"  of which photos             {kb(image_bytes)}  vs originals {kb(originals)}: "
            f"ratio {image_bytes / originals:.2f}"
            if originals
            else "  (no photos)"
        )
        foreign = home_foreign + bare_foreign + full_foreign
        print(f"requests to other hosts: {len(foreign)} {sorted(set(foreign))[:5]}")
    except Exception:
        log = workdir / "gunicorn.log"
        if log.exists():
            print(log.read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        stop_process(process, timeout=15)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
