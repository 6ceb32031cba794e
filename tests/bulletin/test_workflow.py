"""The editorial workflow: who may take which step from which state, history, mail, schedule."""

import datetime
import html
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bulletin import workflow
from bulletin.models import Issue, Status, Transition
from tests.factories import make_entry, make_issue, make_user

pytestmark = pytest.mark.django_db

ROLES = {
    "editor": "Biên tập viên",
    "reviewer": "Lãnh đạo Ban",
    "official": "Cán bộ",
    "member": "Đảng viên",
}
# The state each step starts from, and who may take it.
STEPS = {
    "submit": (Status.DRAFT, {"editor", "superuser"}),
    "approve": (Status.IN_REVIEW, {"reviewer", "superuser"}),
    "reject": (Status.IN_REVIEW, {"reviewer", "superuser"}),
    "publish": (Status.APPROVED, {"reviewer", "superuser"}),
    "withdraw": (Status.PUBLISHED, {"reviewer", "superuser"}),
    "reopen": (Status.WITHDRAWN, {"reviewer", "superuser"}),
}


def user_for(role):
    if role == "superuser":
        user = make_user(is_superuser=True, is_staff=True)
    else:
        user = make_user(group=ROLES[role], is_staff=role in ("editor", "reviewer"))
    return user


def take(issue, step, user):
    options = {"comment": "Sửa lại mục 2."} if step == "reject" else {}
    return getattr(issue, step)(user, **options)


@pytest.mark.parametrize("role", ["editor", "reviewer", "official", "member", "superuser"])
@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_is_allowed_or_refused_by_role(step, role):
    start, allowed = STEPS[step]
    issue = make_issue(status=start, created_by=make_user())
    user = user_for(role)
    if role in allowed:
        transition = take(issue, step, user)
        issue.refresh_from_db()
        assert issue.status == workflow.STEPS[step].target
        assert (transition.from_status, transition.to_status, transition.by) == (
            start,
            issue.status,
            user,
        )
    else:
        with pytest.raises(PermissionDenied) as excinfo:
            take(issue, step, user)
        assert "Bạn không được phép" in str(excinfo.value)
        issue.refresh_from_db()
        assert issue.status == start
        assert not issue.transitions.exists()


@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("status", list(Status))
def test_a_step_the_state_does_not_allow_is_refused_with_a_message(step, status):
    start, _ = STEPS[step]
    if status == start or (step == "reject" and status == Status.APPROVED):
        return
    issue = make_issue(status=status)
    with pytest.raises(ValidationError) as excinfo:
        take(issue, step, user_for("superuser"))
    assert "không thể" in excinfo.value.messages[0]
    issue.refresh_from_db()
    assert issue.status == status
    assert not issue.transitions.exists()


def test_reject_needs_a_comment_and_works_from_approved_too():
    reviewer = user_for("reviewer")
    issue = make_issue(status=Status.APPROVED)
    with pytest.raises(ValidationError) as excinfo:
        issue.reject(reviewer, "   ")
    assert "nhận xét" in excinfo.value.messages[0]
    issue.reject(reviewer, "Thiếu ảnh.")
    assert Issue.objects.get(pk=issue.pk).status == Status.DRAFT


def test_the_whole_history_is_recorded_in_order():
    editor, reviewer = user_for("editor"), user_for("reviewer")
    issue = make_issue(created_by=editor)
    issue.submit(editor)
    issue.reject(reviewer, "Sửa tiêu đề.")
    issue.submit(editor)
    issue.approve(reviewer)
    issue.publish(reviewer)
    issue.withdraw(reviewer)
    issue.reopen(reviewer)
    history = list(
        Transition.objects.filter(issue=issue).values_list("from_status", "to_status", "comment")
    )
    assert history == [
        ("draft", "in_review", ""),
        ("in_review", "draft", "Sửa tiêu đề."),
        ("draft", "in_review", ""),
        ("in_review", "approved", ""),
        ("approved", "published", ""),
        ("published", "withdrawn", ""),
        ("withdrawn", "draft", ""),
    ]
    assert issue.status == Status.DRAFT and issue.published_at is None


def test_a_double_click_takes_the_step_once():
    editor = user_for("editor")
    issue = make_issue()
    stale = Issue.objects.get(pk=issue.pk)
    issue.submit(editor)
    with pytest.raises(ValidationError):
        stale.submit(editor)
    assert issue.transitions.count() == 1


def test_withdrawn_issue_disappears_from_members_view():
    reviewer, member = user_for("reviewer"), user_for("member")
    issue = make_issue(status=Status.APPROVED)
    issue.publish(reviewer)
    assert issue in Issue.objects.visible_to(member)
    issue.withdraw(reviewer)
    assert issue not in Issue.objects.visible_to(member)


def test_scheduled_publication_appears_when_its_time_comes():
    reviewer, member = user_for("reviewer"), user_for("member")
    issue = make_issue(status=Status.APPROVED)
    now = timezone.now()
    at = now + datetime.timedelta(days=2)
    issue.publish(reviewer, at=at)
    issue.refresh_from_db()
    assert issue.status == Status.PUBLISHED and issue.published_at == at
    assert issue not in Issue.objects.visible_to(member)
    with mock.patch("django.utils.timezone.now", return_value=at + datetime.timedelta(minutes=1)):
        assert issue in Issue.objects.visible_to(member)
        assert issue.is_published


def test_publishing_in_the_past_is_refused():
    issue = make_issue(status=Status.APPROVED)
    with pytest.raises(ValidationError):
        issue.publish(user_for("reviewer"), at=timezone.now() - datetime.timedelta(days=1))
    assert Issue.objects.get(pk=issue.pk).status == Status.APPROVED


def test_mail_on_each_step(django_capture_on_commit_callbacks):
    # The notices leave when the step's transaction commits (bulletin/notifications.py).
    def committed(step, *args):
        with django_capture_on_commit_callbacks(execute=True):
            step(*args)

    editor, reviewer = user_for("editor"), user_for("reviewer")
    boss = make_user(is_superuser=True, email="boss@example.com")
    make_user(group="Lãnh đạo Ban", email="")  # no address: nobody to tell
    issue = make_issue(created_by=editor)

    committed(issue.submit, editor)
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([reviewer.email, boss.email])
    assert "Cần duyệt" in mail.outbox[0].subject
    assert reverse("admin:bulletin_issue_change", args=[issue.pk]) in mail.outbox[0].body

    committed(issue.reject, reviewer, "Bổ sung nguồn tin.")
    assert mail.outbox[1].to == [editor.email]
    assert "Bổ sung nguồn tin." in mail.outbox[1].body
    assert "trả lại" in mail.outbox[1].subject

    committed(issue.submit, editor)
    committed(issue.approve, reviewer)
    assert mail.outbox[3].to == [editor.email]
    assert "Đã duyệt" in mail.outbox[3].subject

    committed(issue.publish, reviewer)
    committed(issue.withdraw, reviewer)
    assert [message.to for message in mail.outbox[4:]] == [[editor.email], [editor.email]]


def test_frozen_content_is_recognised():
    issue = make_issue()
    entry = make_entry(issue)
    assert not entry.is_frozen
    issue.submit(user_for("editor"))
    assert entry.is_frozen
    assert issue.is_frozen


# Through the admin ---------------------------------------------------------------------------


def change_url(issue):
    return reverse("admin:bulletin_issue_change", args=[issue.pk])


def step_url(issue, step):
    return reverse("admin:bulletin_issue_workflow", args=[issue.pk, step])


# The steps that bring a new draft to each state, so that the issue has a real history; the
# draft is one that was sent back once.
PATHS = {
    Status.DRAFT: ["submit", "reject"],
    Status.IN_REVIEW: ["submit"],
    Status.APPROVED: ["submit", "approve"],
    Status.PUBLISHED: ["submit", "approve", "publish"],
    Status.WITHDRAWN: ["submit", "approve", "publish", "withdraw"],
}

# The state each step leads to, as the history shows it.
STATE_SHOWN = {
    "submit": "Chờ duyệt",
    "approve": "Đã duyệt",
    "reject": "Bản nháp",
    "publish": "Đã phát hành",
    "withdraw": "Đã thu hồi",
}


def issue_brought_to(status):
    editor, reviewer = user_for("editor"), user_for("reviewer")
    issue = make_issue(created_by=editor)
    for step in PATHS[status]:
        take(issue, step, editor if step == "submit" else reviewer)
    issue.refresh_from_db()
    assert issue.status == status
    return issue


def history_rows(page):
    """(from, to, comment) of each row of the history table, as the page shows them."""
    section = page[page.index('id="transitions-group"') :]
    section = section[: section.index("</fieldset>")]
    cells = re.findall(
        r'<td class="field-(from_status|to_status|comment)">\s*<p>(.*?)</p>', section, re.S
    )
    values = [html.unescape(text).strip() for _, text in cells]
    return [tuple(values[i : i + 3]) for i in range(0, len(values), 3)]


@pytest.mark.parametrize(
    ("role", "status", "buttons"),
    [
        ("editor", Status.DRAFT, ["Gửi duyệt"]),
        ("editor", Status.IN_REVIEW, []),
        ("reviewer", Status.DRAFT, []),
        ("reviewer", Status.IN_REVIEW, ["Duyệt", "Trả lại để sửa"]),
        ("reviewer", Status.APPROVED, ["Trả lại để sửa", "Phát hành"]),
        ("reviewer", Status.PUBLISHED, ["Thu hồi"]),
        ("reviewer", Status.WITHDRAWN, ["Mở lại thành bản nháp"]),
        ("superuser", Status.DRAFT, ["Gửi duyệt"]),
    ],
)
def test_the_issue_page_offers_exactly_the_steps_the_user_may_take(client, role, status, buttons):
    issue = issue_brought_to(status)
    client.force_login(user_for(role))
    response = client.get(change_url(issue))
    assert response.status_code == 200
    offered = [item["step"].label for item in response.context["workflow_steps"]]
    assert [str(label) for label in offered] == buttons
    page = response.content.decode()
    for label in buttons:
        assert f">{label}</button>" in page
    # Every step taken is in the history, oldest first, under its heading.
    assert "Lịch sử duyệt" in page
    rows = history_rows(page)
    assert [to for _, to, _ in rows] == [STATE_SHOWN[step] for step in PATHS[status]]
    assert rows[0][0] == "Bản nháp"
    if status == Status.DRAFT:
        assert rows[-1][2] == "Sửa lại mục 2."


def test_steps_through_the_admin_redirect_with_a_message(client):
    editor, reviewer = user_for("editor"), user_for("reviewer")
    issue = make_issue(created_by=editor)
    client.force_login(editor)
    response = client.post(step_url(issue, "submit"), follow=True)
    assert response.redirect_chain[-1][0] == change_url(issue)
    assert "Đã gửi số bản tin để lãnh đạo duyệt." in response.content.decode()

    client.force_login(reviewer)
    response = client.post(step_url(issue, "reject"), {"comment": ""}, follow=True)
    assert "Vui lòng viết nhận xét" in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).status == Status.IN_REVIEW

    response = client.post(step_url(issue, "reject"), {"comment": "Thiếu ảnh."}, follow=True)
    page = response.content.decode()
    assert "Đã trả số bản tin về bản nháp để sửa." in page
    assert "Thiếu ảnh." in page  # the history on the page
    assert Issue.objects.get(pk=issue.pk).status == Status.DRAFT


def test_a_refused_step_shows_the_reason_not_an_error_page(client):
    issue = make_issue(status=Status.DRAFT)
    client.force_login(user_for("reviewer"))
    response = client.post(step_url(issue, "approve"), follow=True)
    assert response.status_code == 200
    assert "không thể" in response.content.decode()
    client.force_login(user_for("editor"))
    response = client.post(step_url(issue, "publish"), follow=True)
    assert response.status_code == 200
    assert "Bạn không được phép" in response.content.decode()
    response = client.post(step_url(issue, "no-such-step"))
    assert response.status_code == 404
    assert not issue.transitions.exists()


def test_publish_form_schedules_at_the_given_time(client):
    issue = make_issue(status=Status.APPROVED)
    client.force_login(user_for("reviewer"))
    later = timezone.localtime() + datetime.timedelta(days=3)
    response = client.post(
        step_url(issue, "publish"),
        # An empty issue: the leader has confirmed publishing it as it is.
        {"at": later.strftime("%Y-%m-%dT%H:%M"), "confirmed": "1"},
        follow=True,
    )
    # Not "published": members see nothing until then, and the message says so.
    page = response.content.decode()
    assert f"Đã hẹn giờ phát hành: đảng viên xem được từ {later:%d/%m/%Y %H:%M}." in page
    assert "Đã phát hành số bản tin." not in page
    issue.refresh_from_db()
    assert issue.published_at == later.replace(second=0, microsecond=0)
    response = client.post(step_url(issue, "withdraw"), {"at": "not a date"}, follow=True)
    assert response.status_code == 200
    assert Issue.objects.get(pk=issue.pk).status == Status.PUBLISHED


def test_publishing_now_says_published(client):
    issue = make_issue(status=Status.APPROVED)
    client.force_login(user_for("reviewer"))
    response = client.post(step_url(issue, "publish"), {"at": "", "confirmed": "1"}, follow=True)
    assert "Đã phát hành số bản tin." in response.content.decode()


def test_submitted_content_is_read_only_for_everyone(client):
    editor = user_for("editor")
    issue = make_issue(created_by=editor)
    entry = make_entry(issue)
    client.force_login(editor)
    page = client.get(change_url(issue)).content.decode()
    assert 'name="month"' in page
    issue.submit(editor)
    for user in (editor, user_for("superuser")):
        client.force_login(user)
        response = client.get(change_url(issue))
        assert response.status_code == 200
        assert 'name="month"' not in response.content.decode()
        assert client.post(change_url(issue), {"month": 1, "year": 2030}).status_code == 403
        entry_url = reverse("admin:bulletin_entry_change", args=[entry.pk])
        assert client.post(entry_url, {"title": "Sửa lén"}).status_code == 403
    entry.refresh_from_db()
    assert entry.title == "Giới thiệu tác phẩm"


def test_new_issue_is_prefilled_with_the_month_after_the_latest(client):
    make_issue(month=12, year=2030)
    client.force_login(user_for("editor"))
    response = client.get(reverse("admin:bulletin_issue_add"))
    form = response.context["adminform"].form
    assert (form.initial["month"], form.initial["year"]) == (1, 2031)


def test_issue_list_shows_a_status_badge_and_filters(client):
    make_issue(month=3, year=2031, status=Status.IN_REVIEW)
    client.force_login(user_for("reviewer"))
    response = client.get(reverse("admin:bulletin_issue_changelist") + "?status=in_review")
    page = response.content.decode()
    assert 'class="status-badge status-in_review"' in page
    assert "Chờ duyệt" in page


def test_preview_link_opens_the_issue_as_members_will_see_it(client):
    issue = make_issue(month=4, year=2031)
    client.force_login(user_for("editor"))
    page = client.get(change_url(issue)).content.decode()
    assert f'href="{issue.get_absolute_url()}"' in page
    assert "Xem trước" in page


def test_nothing_can_be_added_to_a_submitted_issue(client):
    editor = user_for("editor")
    issue = make_issue(created_by=editor)
    section = make_entry(issue, kind="news", title="Tin hoạt động", body="")
    issue.submit(editor)
    client.force_login(editor)
    response = client.post(
        reverse("admin:bulletin_entry_add"),
        {
            "issue": issue.pk,
            "position": 5,
            "kind": "article",
            "title": "Bài thêm sau khi gửi duyệt",
            "footnotes-TOTAL_FORMS": "0",
            "footnotes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Số bản tin đã được gửi duyệt nên không thể sửa nội dung nữa." in (
        response.content.decode()
    )
    assert issue.entries.count() == 1
    response = client.post(
        reverse("admin:news_newsitem_add"),
        {
            "section": section.pk,
            "position": 1,
            "title": "Tin thêm",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not section.news_items.exists()


def test_a_reviewer_reads_the_text_formatted_not_as_html_source(client):
    issue = make_issue(status=Status.IN_REVIEW)
    make_entry(issue, body="<p><strong>Đậm</strong> và thường</p>")
    client.force_login(user_for("reviewer"))
    page = client.get(change_url(issue)).content.decode()
    assert "<strong>Đậm</strong> và thường" in page
    assert "&lt;strong&gt;" not in page


def test_a_step_on_an_unknown_issue_is_not_found(client):
    client.force_login(user_for("reviewer"))
    response = client.post(reverse("admin:bulletin_issue_workflow", args=["abc", "approve"]))
    assert response.status_code == 404


def test_issue_list_counts_photos_still_to_upload(client):
    from news.models import Photo
    from tests.factories import make_news_item

    issue = make_issue(month=11, year=2031)
    section = make_entry(issue, kind="news", title="Tin hoạt động", body="")
    item = make_news_item(section)
    Photo.objects.create(news_item=item, caption="Chưa có ảnh", position=1)
    Photo.objects.create(news_item=item, caption="Có ảnh", position=2, image="photos/a.jpg")
    client.force_login(user_for("editor"))
    response = client.get(reverse("admin:bulletin_issue_changelist"))
    assert response.context["cl"].result_list[0].photos_missing == 1
    assert "Cần ảnh" in response.content.decode()
