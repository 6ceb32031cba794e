import hashlib
import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import add_never_cache_headers
from django.views.generic import ListView, RedirectView, TemplateView

from core import pagecache
from core.auth import user_of
from core.calendar import YEARS
from core.views import login_or_404

from . import signals
from .committees import default_slug
from .models import Committee, Download, Entry, EntryKind, Issue, Paper
from .printing import renditions
from .printing.rendering import PdfError

logger = logging.getLogger(__name__)


def recent_news(user, count, committee=None):
    """The latest news items ``user`` may see, newest issue first, of one committee's issues or
    of all. News items hang from the news sections of the issues (``Entry.news_items``): the
    bulletin reaches them through that reverse relation, the news app depends on the bulletin
    and never the other way."""
    sections = Entry.objects.visible_to(user).filter(kind=EntryKind.NEWS)
    if committee is not None:
        sections = sections.filter(issue__committee=committee)
    sections = (
        sections.select_related("issue__committee")
        .prefetch_related("news_items")
        .order_by("-issue__year", "-issue__month", "position", "pk")
    )
    items = []
    for section in sections.iterator(chunk_size=20):
        items.extend(section.news_items.all())
        if len(items) >= count:
            break
    return items[:count]


class LandingView(TemplateView):
    """The province's front page: every committee with an issue the reader may see, and its
    latest such issue. A constant number of queries however many committees there are."""

    template_name = "bulletin/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = Issue.objects.visible_to(self.request.user)
        latest = visible.filter(committee=OuterRef("pk")).order_by("-year", "-month", "-pk")
        committees = list(
            Committee.objects.annotate(latest_id=Subquery(latest.values("pk")[:1]))
            .filter(latest_id__isnull=False)
            .select_related("parent")
        )
        issues = Issue.objects.in_bulk([committee.latest_id for committee in committees])
        for committee in committees:
            committee.latest_issue = issues[committee.latest_id]
            committee.latest_issue.committee = committee
        context["committees"] = committees
        context["recent_news"] = recent_news(self.request.user, 6)
        return context


class LegacyRedirectView(RedirectView):
    """An address of the one-committee site (``/issues/2024/6/``), moved for good to the same
    page of the default committee; the query string (``?paper=A5``) goes along."""

    permanent = True
    query_string = True

    def get_redirect_url(self, *args, **kwargs):
        return super().get_redirect_url(*args, committee=default_slug(), **kwargs)


class IssueViewMixin:
    """Every issue view belongs to one committee (the ``committee`` slug of its URL) and starts
    from the issues of it that the current user may see."""

    def get_committee(self):
        if not hasattr(self, "_committee"):
            self._committee = get_object_or_404(Committee, slug=self.kwargs["committee"])
        return self._committee

    def get_queryset(self):
        committee = self.get_committee()
        issues = Issue.objects.visible_to(self.request.user).filter(committee=committee)
        return issues.select_related("committee")

    def get_context_data(self, **kwargs):
        # The URL's slug becomes the committee itself.
        kwargs["committee"] = self.get_committee()
        return super().get_context_data(**kwargs)


class CommitteeHomeView(IssueViewMixin, TemplateView):
    template_name = "bulletin/committee_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["latest_issue"] = self.get_queryset().order_by("-year", "-month").first()
        context["recent_news"] = recent_news(self.request.user, 6, committee=self.get_committee())
        return context


class IssueArchiveView(IssueViewMixin, ListView):
    template_name = "bulletin/issue_archive.html"
    context_object_name = "issues"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = {}
        for issue in context["issues"]:
            years.setdefault(issue.year, []).append(issue)
        context["years"] = sorted(years.items(), reverse=True)
        return context


class IssueYearArchiveView(IssueViewMixin, ListView):
    template_name = "bulletin/issue_archive_year.html"
    context_object_name = "issues"

    def get_queryset(self):
        if self.kwargs["year"] not in YEARS:
            raise Http404(_("No such year."))
        return super().get_queryset().filter(year=self.kwargs["year"]).order_by("month")

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.kwargs["year"], **kwargs)


class IssueDetailView(IssueViewMixin, TemplateView):
    """One issue, read in place. A constant number of queries whatever its size; conditional
    GET through ETag and Last-Modified, except for drafts, which are never cached."""

    template_name = "bulletin/issue_detail.html"

    def get(self, request, committee, year, month):
        if year not in YEARS or not 1 <= month <= 12:
            return login_or_404(request)
        # The committee comes with the issue: one query, not two.
        issue = (
            Issue.objects.visible_to(request.user)
            .filter(committee__slug=committee, year=year, month=month)
            .select_related("committee")
            .first()
        )
        if issue is None:
            # A hidden issue and a missing one get the same answer (core.views.login_or_404).
            return login_or_404(request)
        self._committee = issue.committee
        request.issue_shown = issue
        last_modified = self.last_modified(issue)
        if not issue.is_published:
            response = self.render_issue(issue, last_modified)
            add_never_cache_headers(response)
            return response
        etag = self.etag(issue, last_modified)
        response = get_conditional_response(
            request, etag=etag, last_modified=int(last_modified.timestamp())
        )
        if response is None:
            # Readers get the whole page from core.pagecache (see urls.py); this renders it.
            response = self.render_issue(issue, last_modified)
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
        patch_cache_control(response, private=True, no_cache=True)
        return response

    def last_modified(self, issue):
        return issue.last_modified

    def etag(self, issue, last_modified):
        # The page shows who is logged in and carries a CSRF token: both are part of the tag.
        key = "|".join(
            str(part)
            for part in (
                issue.pk,
                issue.version,
                last_modified.isoformat(),
                self.request.user.pk,
                self.request.META.get("CSRF_COOKIE", ""),
                self.request.LANGUAGE_CODE,
                settings.RELEASE,
                # A change outside the issue's rows (the glossary, a cited document) too.
                pagecache.current_state(),
            )
        )
        return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'

    def render_issue(self, issue, last_modified):
        entries = Entry.objects.filter(issue=issue).select_related("document__issuer")
        entries = entries.prefetch_related("footnotes", "news_items__photos")
        return self.render_to_response(
            self.get_context_data(
                issue=issue,
                entries=entries,
                is_preview=not issue.is_published,
                # The article is cached as a template fragment until any of its parts changes;
                # the entries queryset is lazy, so a cached page runs none of its queries.
                content_version=(
                    f"{issue.version}-{issue.status}-{last_modified.isoformat()}-{settings.RELEASE}"
                    f"-{pagecache.current_state()}"
                ),
            )
        )


def pdf_download(request, issue):
    """The stamped PDF of ``issue`` as the request asks for it (``?paper=A4|A5``, ``?booklet=1``),
    logged in ``Download``; a 400 naming an unknown paper size, a 503 page if no PDF exists.
    Access is the caller's to check (``issue_pdf`` here, the issue's admin page)."""
    paper = request.GET.get("paper", settings.PDF_PAPER).strip().upper()
    if paper not in Paper.values:
        return HttpResponseBadRequest(
            _("Unknown paper size “%(paper)s”: choose A4 or A5.") % {"paper": paper[:10]},
            content_type="text/plain; charset=utf-8",
        )
    booklet = request.GET.get("booklet", "").lower() in {"1", "true", "yes", "on"}
    if booklet:
        paper = Paper.A5
    try:
        data = renditions.reader_copy(issue, request.user, paper=paper, booklet=booklet)
    except Exception as exc:
        if isinstance(exc, PdfError):
            logger.warning("No PDF for issue %s: %s", issue.pk, exc)
        else:
            logger.exception("The PDF of issue %s could not be prepared", issue.pk)
        response = HttpResponse(
            _("The PDF of this issue cannot be produced right now; please try again later."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        add_never_cache_headers(response)
        return response
    Download.objects.create(issue=issue, user=request.user, paper=paper, booklet=booklet)
    response = HttpResponse(data, content_type="application/pdf")
    name = renditions.file_name(issue, paper, booklet)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if issue.is_published:
        # The copy carries the reader's name: no shared cache may keep it.
        patch_cache_control(response, private=True, no_store=True)
    else:
        add_never_cache_headers(response)
    return response


def issue_pdf(request, committee, year, month):
    """The issue as a PDF (?paper=A4|A5, ?booklet=1), stamped with the reader's name.

    For those who may see the issue and hold ``bulletin.export_pdf``; every copy is logged.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    issue = get_object_or_404(
        Issue.objects.visible_to(request.user).select_related("committee"),
        committee__slug=committee,
        year=year,
        month=month,
    )
    if not request.user.has_perm("bulletin.export_pdf"):
        raise PermissionDenied(_("You may not export the PDF of an issue."))
    return pdf_download(request, issue)


# This process's published issues by (committee, year, month), for the current content state
# (pagecache.state_memo): each issue page served from the cache asks which issue it shows.
_issues_at = {}


def _issue_at(committee, year, month):
    """The committee's published issue of that month, with what ``is_published`` reads, or
    None.

    Remembered by this process for the content state (core/pagecache.py), which changes with
    any save of an issue and when a scheduled one appears: a cached issue page is served in less
    time than this query took on every view. The instance itself is kept (only read, never
    saved): making one costs more than the page's other work."""
    memo = pagecache.state_memo(_issues_at)
    key = (committee, year, month)
    if key not in memo:
        memo[key] = (
            Issue.objects.published()
            .filter(committee__slug=committee, year=year, month=month)
            .only("pk", "committee_id", "year", "month", "status", "published_at")
            .first()
        )
    return memo[key]


def issue_read(request, committee, year, month):
    """Tell the apps that listen (the readership by cell) that a reader opened an issue: run by
    the page cache for every issue page served, cached or not (see bulletin/urls.py)."""
    reader = user_of(request)
    if not reader.is_authenticated:
        return
    # Rendered just now, the page left its issue on the request; from the cache, it is looked up.
    issue = getattr(request, "issue_shown", None) or _issue_at(committee, year, month)
    if issue is not None and issue.is_published:
        signals.issue_read.send(sender=Issue, issue=issue, user=reader)
