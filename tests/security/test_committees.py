"""The access matrix across committees: a province with a city and a district, each publishing
its own issues (public, members-only, draft) in the same months. Whoever belongs to one committee
sees nothing of the other's beyond its public issues, on the site (pages, archive, search, feed,
sitemap, media, PDF) and in the admin (lists, change pages, workflow, history, downloads log,
PDF renditions, entries, footnotes, news, photos, the import form, the editor's uploads)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion import create_revision as reversion_revision

from bulletin.models import (
    Committee,
    Download,
    EntryKind,
    Footnote,
    Issue,
    Rendition,
    Status,
    Transition,
    Visibility,
)
from core.roles import Role
from members.models import Profile
from tests.factories import (
    make_committee,
    make_document,
    make_entry,
    make_issue,
    make_news_item,
    make_photo,
    make_user,
)
from tests.site_data import png_file

pytestmark = pytest.mark.django_db

LEVELS = {"public": 5, "internal": 6, "draft": 7}
WORDS = {"city": "thanhpho", "district": "hoaan"}


def build(committee, key):
    """An issue of each access level for ``committee``, every text carrying a word of its own
    (``<committee word><level>``) so that search results can be told apart."""
    data = {}
    word = WORDS[key]
    for level, month in LEVELS.items():
        fields = {"committee": committee, "year": 2024, "month": month}
        fields["title"] = f"Bản tin {word} {level}"
        if level != "draft":
            fields["status"] = Status.PUBLISHED
            fields["published_at"] = timezone.now() - datetime.timedelta(days=1)
            fields["visibility"] = Visibility.PUBLIC if level == "public" else Visibility.MEMBERS
        issue = make_issue(**fields)
        document = make_document(number=f"{month}-CT/{word.upper()}", subject=f"riêng {word}")
        entry = make_entry(
            issue,
            kind=EntryKind.DOCUMENT,
            document=document,
            title=f"Chỉ thị số {document.number}",
            body=f"<p>Tóm tắt {word}{level} của văn bản.</p>",
        )
        footnote = Footnote.objects.create(entry=entry, position=1, text=f"<p>Chú {word}</p>")
        section = make_entry(issue, kind=EntryKind.NEWS, title="Tin hoạt động", body="")
        news = make_news_item(section, title=f"Tin {word} {level}")
        photo = make_photo(news, image=png_file(f"{word}-{level}.png"), caption=f"Ảnh {word}")
        data[level] = {
            "issue": issue,
            "entry": entry,
            "footnote": footnote,
            "document": document,
            "news": news,
            "photo": photo,
            "transition": Transition.objects.create(
                issue=issue, from_status=Status.DRAFT, to_status=Status.IN_REVIEW
            ),
            "rendition": Rendition.objects.create(issue=issue, error=f"lỗi {word} {level}"),
        }
    return data


@pytest.fixture
def province():
    top = make_committee("tinh-uy", name="TỈNH ỦY CAO BẰNG")
    city = Committee.objects.default()
    city.parent = top
    city.save()
    district = make_committee("huyen-uy-hoa-an", name="HUYỆN ỦY HÒA AN", parent=top)
    committees = {"city": city, "district": district, "province": top}
    return committees, {"city": build(city, "city"), "district": build(district, "district")}


def reader(group, committee):
    user = make_user(group=group)
    Profile.objects.create(user=user, full_name=user.username, committee=committee)
    return user


@pytest.fixture
def people(province):
    committees, _ = province
    city, district, top = committees["city"], committees["district"], committees["province"]
    return {
        "anonymous": None,
        "city_member": reader(Role.MEMBER, city),
        "district_member": reader(Role.MEMBER, district),
        "city_official": reader(Role.OFFICIAL, city),
        "city_editor": make_user(group=Role.EDITOR, is_staff=True, committee=city),
        "city_reviewer": make_user(group=Role.REVIEWER, is_staff=True, committee=city),
        "district_editor": make_user(group=Role.EDITOR, is_staff=True, committee=district),
        "district_reviewer": make_user(group=Role.REVIEWER, is_staff=True, committee=district),
        "provincial_reviewer": make_user(group=Role.REVIEWER, is_staff=True, committee=top),
    }


# Which committees' members-only and draft issues each person may see.
READS = {
    "city_member": {"city"},
    "district_member": {"district"},
    "city_official": {"city"},
    "city_editor": {"city"},
    "city_reviewer": {"city"},
    "district_editor": {"district"},
    "district_reviewer": {"district"},
    "provincial_reviewer": {"city", "district"},
}
PREVIEWS = {
    "city_editor": {"city"},
    "city_reviewer": {"city"},
    "district_editor": {"district"},
    "district_reviewer": {"district"},
    "provincial_reviewer": {"city", "district"},
}
STAFF = [name for name in PREVIEWS]


def sees(person, committee, level):
    if level == "public":
        return True
    if level == "internal":
        return committee in READS.get(person, set())
    return committee in PREVIEWS.get(person, set())


def log_in(client, people, person):
    if people[person] is not None:
        client.force_login(people[person])


@pytest.mark.parametrize("person", list(READS) + ["anonymous"])
def test_site_pages_media_and_pdfs_leak_nothing_across_committees(client, province, people, person):
    _, data = province
    log_in(client, people, person)
    wrong = []
    for committee, levels in data.items():
        for level, objects in levels.items():
            allowed = sees(person, committee, level)
            for name in ("issue", "news"):
                url = objects[name].get_absolute_url().split("#")[0]
                status = client.get(url).status_code
                if (status == 200) != allowed:
                    wrong.append((committee, level, name, status))
            # The registry is shared: staff see every document, but its page shows only the
            # summaries of issues the reader may see.
            page = client.get(objects["document"].get_absolute_url())
            if (page.status_code == 200) != (allowed or person in STAFF):
                wrong.append((committee, level, "document", page.status_code))
            if (f"{WORDS[committee]}{level}" in page.text) != allowed:
                wrong.append((committee, level, "summary on the document page"))
            status = client.get(objects["photo"].image.url).status_code
            if (status == 200) != allowed:
                wrong.append((committee, level, "photo", status))
            archive = client.get(
                reverse("bulletin:archive-year", args=[objects["issue"].committee.slug, 2024])
            )
            if (objects["issue"].get_absolute_url() in archive.text) != allowed:
                wrong.append((committee, level, "archive", archive.status_code))
    assert wrong == []


@pytest.mark.parametrize("person", ["city_official", "city_editor", "district_editor"])
def test_pdf_downloads_keep_to_the_committee(client, province, people, person):
    _, data = province
    log_in(client, people, person)
    own = "city" if person.startswith("city") else "district"
    other = "district" if own == "city" else "city"
    for level in ("internal", "draft"):
        issue = data[other][level]["issue"]
        url = reverse("bulletin:pdf", args=[issue.committee.slug, issue.year, issue.month])
        assert client.get(url).status_code == 404
    issue = data[own]["internal"]["issue"]
    url = reverse("bulletin:pdf", args=[issue.committee.slug, issue.year, issue.month])
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert list(Download.objects.values_list("issue__committee__slug", flat=True)) == [
        issue.committee.slug
    ]


@pytest.mark.parametrize("person", list(READS) + ["anonymous"])
def test_search_finds_only_what_the_reader_may_see(client, province, people, person):
    log_in(client, people, person)
    for committee, word in WORDS.items():
        for level in LEVELS:
            response = client.get(reverse("core:search"), {"q": f"{word}{level}", "all": "1"})
            found = f"Chỉ thị số {LEVELS[level]}-CT/{word.upper()}" in response.text
            assert found == sees(person, committee, level), (committee, level)


def test_search_keeps_to_the_readers_committee_unless_asked_for_all(client, province, people):
    client.force_login(people["city_member"])
    # A public issue of the district: out of scope by default, found with "all".
    query = {"q": "hoaanpublic"}
    assert "Chỉ thị số 5-CT/HOAAN" not in client.get(reverse("core:search"), query).text
    response = client.get(reverse("core:search"), {**query, "all": "1"})
    assert "Chỉ thị số 5-CT/HOAAN" in response.text
    own = client.get(reverse("core:search"), {"q": "thanhphointernal"})
    assert "Chỉ thị số 6-CT/THANHPHO" in own.text
    assert 'name="all"' in own.text


def test_feeds_and_sitemap_hold_public_issues_only(client, province, people):
    _, data = province
    client.force_login(people["provincial_reviewer"])  # the feed is the same for everyone
    sitemap = client.get("/sitemap.xml").text
    for committee, levels in data.items():
        slug = levels["public"]["issue"].committee.slug
        feed = client.get(reverse("bulletin:feed", args=[slug])).text
        for level, objects in levels.items():
            issue = objects["issue"]
            assert (issue.title in feed) == (level == "public"), (committee, level)
            assert (issue.get_absolute_url() in sitemap) == (level == "public")
        other = data["district" if committee == "city" else "city"]["public"]["issue"]
        assert other.title not in feed


def admin_url(obj, action="change"):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[obj.pk])


ADMIN_OBJECTS = ["issue", "entry", "footnote", "news", "photo"]


@pytest.mark.parametrize("person", STAFF)
def test_admin_lists_and_pages_keep_to_the_committee(client, province, people, person):
    _, data = province
    client.force_login(people[person])
    issues = client.get(reverse("admin:bulletin_issue_changelist")).text
    entries = client.get(reverse("admin:bulletin_entry_changelist")).text
    news = client.get(reverse("admin:news_newsitem_changelist")).text
    wrong = []
    for committee, levels in data.items():
        overseen = committee in PREVIEWS[person]
        for level, objects in levels.items():
            if (objects["issue"].title in issues) != overseen:
                wrong.append((committee, level, "issue list"))
            if (objects["entry"].title in entries) != overseen:
                wrong.append((committee, level, "entry list"))
            if (objects["news"].title in news) != overseen:
                wrong.append((committee, level, "news list"))
            for name in ADMIN_OBJECTS:
                status = client.get(admin_url(objects[name])).status_code
                if status != (200 if overseen else 404):
                    wrong.append((committee, level, name, status))
            history = client.get(admin_url(objects["issue"], "history")).status_code
            if history != (200 if overseen else 404):
                wrong.append((committee, level, "history", history))
    assert wrong == []


@pytest.mark.parametrize("person", ["city_reviewer", "district_reviewer", "provincial_reviewer"])
def test_records_about_issues_keep_to_the_committee(client, province, people, person):
    _, data = province
    for levels in data.values():
        Download.objects.create(issue=levels["internal"]["issue"], user=people[person])
    client.force_login(people[person])
    downloads = client.get(reverse("admin:bulletin_download_changelist")).text
    renditions = client.get(reverse("admin:bulletin_rendition_changelist")).text
    transitions = client.get(reverse("admin:bulletin_transition_changelist")).text
    for committee, levels in data.items():
        overseen = committee in PREVIEWS[person]
        issue = levels["internal"]["issue"]
        assert (str(issue) in downloads) == overseen
        assert (f"lỗi {WORDS[committee]} internal" in renditions) == overseen
        assert (str(issue) in transitions) == overseen


def test_an_editor_takes_no_workflow_step_on_another_committees_issue(client, province, people):
    _, data = province
    client.force_login(people["city_editor"])
    theirs = data["district"]["draft"]["issue"]
    url = reverse("admin:bulletin_issue_workflow", args=[theirs.pk, "submit"])
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.DRAFT
    ours = data["city"]["draft"]["issue"]
    client.post(reverse("admin:bulletin_issue_workflow", args=[ours.pk, "submit"]))
    ours.refresh_from_db()
    assert ours.status == Status.IN_REVIEW


def test_the_province_reads_its_districts_issues_but_does_not_change_them(client, province, people):
    _, data = province
    client.force_login(people["provincial_reviewer"])
    issue = data["district"]["draft"]["issue"]
    Issue.objects.filter(pk=issue.pk).update(status=Status.IN_REVIEW)
    page = client.get(admin_url(issue))
    assert page.status_code == 200
    assert "/workflow/" not in page.text  # no button to approve or send back
    assert client.post(admin_url(issue), {"title": "Đổi tên"}).status_code == 403
    response = client.post(reverse("admin:bulletin_issue_workflow", args=[issue.pk, "approve"]))
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.status, issue.title) == (Status.IN_REVIEW, "Bản tin hoaan draft")


def test_new_content_can_only_go_into_the_editors_own_issues(client, province, people):
    _, data = province
    client.force_login(people["city_editor"])
    page = client.get(reverse("admin:bulletin_entry_add")).text
    assert f'value="{data["city"]["draft"]["issue"].pk}"' in page
    assert f'value="{data["district"]["draft"]["issue"].pk}"' not in page
    issue_form = client.get(reverse("admin:bulletin_issue_add")).text
    assert "HUYỆN ỦY HÒA AN" not in issue_form
    import_form = client.get(reverse("admin:bulletin_issue_import")).text
    assert "THÀNH ỦY CAO BẰNG" in import_form
    assert "HUYỆN ỦY HÒA AN" not in import_form


def test_editor_uploads_need_a_committee(client, province, people):
    client.force_login(people["city_editor"])
    url = reverse("ckeditor-image-upload")
    assert client.post(url, {"upload": png_file()}).status_code == 200
    stray = make_user(group=Role.EDITOR, is_staff=True)
    Committee.objects.default().staff.remove(stray)
    client.force_login(stray)
    assert client.post(url, {"upload": png_file()}).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "admin:bulletin_issue_recoverlist",
        "admin:bulletin_entry_recoverlist",
        "admin:news_newsitem_recoverlist",
    ],
)
def test_deleted_content_of_every_committee_is_for_superusers_only(client, province, people, url):
    _, data = province
    entry = data["district"]["draft"]["entry"]
    with reversion_revision():
        entry.save()
    entry.delete()
    client.force_login(people["city_editor"])
    assert client.get(reverse(url)).status_code == 403


def test_readership_by_cell_keeps_to_the_committee(client, province, people):
    _, data = province
    Profile.objects.filter(user=people["city_member"]).update(party_cell="Chi bộ Phố Cũ")
    Profile.objects.filter(user=people["district_member"]).update(party_cell="Chi bộ Nà Rị")
    for person, own, other in [
        ("district_reviewer", "Chi bộ Nà Rị", "Chi bộ Phố Cũ"),
        ("city_reviewer", "Chi bộ Phố Cũ", "Chi bộ Nà Rị"),
    ]:
        client.force_login(people[person])
        theirs = data["city" if person.startswith("district") else "district"]
        page = client.get(reverse("admin:members_reading_changelist")).text
        assert own in page and other not in page
        assert f'value="{theirs["internal"]["issue"].pk}"' not in page
        chosen = client.get(
            reverse("admin:members_reading_changelist"),
            {"issue": theirs["internal"]["issue"].pk},
        ).text
        assert other not in chosen
        export = client.get(reverse("admin:members_reading_export")).text
        assert own in export and other not in export


def test_the_issue_list_names_the_committee_only_to_those_who_follow_several(
    client, province, people
):
    city, district = (
        province[1][name]["public"]["issue"].committee for name in ("city", "district")
    )
    client.force_login(people["provincial_reviewer"])
    issues = client.get(reverse("admin:bulletin_issue_changelist")).text
    assert f"<small>{city.name}</small>" in issues and f"<small>{district.name}</small>" in issues
    client.force_login(people["district_editor"])
    issues = client.get(reverse("admin:bulletin_issue_changelist")).text
    assert f"<small>{district.name}</small>" not in issues
