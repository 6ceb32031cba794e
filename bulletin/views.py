import hashlib
import logging
import mimetypes
import posixpath

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache, caches
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import add_never_cache_headers
from django.views.generic import ListView, TemplateView

from documents.models import Document
from news.models import NewsItem, Photo

from . import search as site_search
from .models import Download, Entry, Issue, Paper
from .printing import renditions
from .printing.rendering import PdfError

logger = logging.getLogger(__name__)

YEARS = range(1930, 2201)

# Django's validator message for a query holding a NUL byte ("?q=%00"), which its Vietnamese
# catalog leaves untranslated: the search and the registry showed it in English. Named here so
# that makemessages keeps our translation.
DJANGO_FORM_STRINGS = [gettext_noop("Null characters are not allowed.")]


def login_or_404(request):
    """A page that exists but that this user may not see: an anonymous visitor is sent to log in
    and brought back, a logged-in user who still may not see it gets a plain 404."""
    if request.user.is_authenticated:
        raise Http404(_("No such page."))
    return redirect_to_login(request.get_full_path())


class SafePaginationMixin:
    """Junk or out-of-range page numbers show the nearest page instead of an error."""

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        # The other parameters (filters) carried by the page links.
        params = self.request.GET.copy()
        params.pop(self.page_kwarg, None)
        return super().get_context_data(query_string=params.urlencode(), **kwargs)


class IssueViewMixin:
    """Every issue view starts from the issues the current user may see."""

    def get_queryset(self):
        return Issue.objects.visible_to(self.request.user)


class HomeView(IssueViewMixin, TemplateView):
    template_name = "bulletin/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["latest_issue"] = self.get_queryset().order_by("-year", "-month").first()
        context["recent_news"] = (
            NewsItem.objects.visible_to(self.request.user)
            .select_related("section__issue")
            .order_by("-section__issue__year", "-section__issue__month", "position", "pk")[:6]
        )
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

    def get(self, request, year, month):
        if year not in YEARS or not 1 <= month <= 12:
            raise Http404(_("No such issue."))
        issue = self.get_queryset().filter(year=year, month=month).order_by("pk").first()
        if issue is None:
            if Issue.objects.filter(year=year, month=month).exists():
                return login_or_404(request)
            raise Http404(_("No such issue."))
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
            response = self.cached_page(issue, last_modified, etag)
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
        patch_cache_control(response, private=True, no_cache=True)
        return response

    def last_modified(self, issue):
        return issue.last_modified

    def cached_page(self, issue, last_modified, etag):
        """Anonymous visitors all get the same bytes (no CSRF token, no name on the page): the
        whole page is kept in the cache under its ETag. Members get the cached article inside
        a freshly rendered page."""
        if self.request.user.is_authenticated:
            return self.render_issue(issue, last_modified)
        key = "issue-page:" + etag.strip('"')
        content = caches["pages"].get(key)
        if content is None:
            content = cache.get(key)
            if content is None:
                response = self.render_issue(issue, last_modified)
                response.render()
                content = response.content
                cache.set(key, content, 24 * 3600)
            caches["pages"].set(key, content, 3600)
        return HttpResponse(content)

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
            )
        )
        return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'

    def render_issue(self, issue, last_modified):
        entries = Entry.objects.filter(issue=issue).select_related("document__issuer")
        entries = entries.prefetch_related(
            "footnotes",
            Prefetch(
                "news_items",
                queryset=NewsItem.objects.prefetch_related(
                    Prefetch("photos", queryset=Photo.objects.all())
                ),
            ),
        )
        return self.render_to_response(
            self.get_context_data(
                issue=issue,
                entries=entries,
                is_preview=not issue.is_published,
                # The article is cached as a template fragment until any of its parts changes;
                # the entries queryset is lazy, so a cached page runs none of its queries.
                content_version=(
                    f"{issue.version}-{issue.status}-{last_modified.isoformat()}-{settings.RELEASE}"
                ),
            )
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), max_length=site_search.MAX_QUERY_LENGTH, required=False, strip=True
    )


class SearchView(TemplateView):
    template_name = "bulletin/search.html"

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET or None)
        results = None
        status = 200
        if form.is_bound:
            if form.is_valid():
                results = site_search.search(form.cleaned_data["q"], request.user)
            else:
                status = 400
        context = self.get_context_data(form=form, results=results)
        return self.render_to_response(context, status=status)


def _media_owner_visible(request, name):
    """Whether the file ``name`` of MEDIA_ROOT belongs to something ``request.user`` may see."""
    user = request.user
    photos = Photo.objects.filter(image=name)
    if photos.exists():
        return photos.filter(news_item__in=NewsItem.objects.visible_to(user)).exists()
    documents = Document.objects.filter(original_file=name)
    if documents.exists():
        return Document.objects.visible_to(user).filter(original_file=name).exists()
    # Pictures inserted in a text: visible with the text that shows them.
    url = settings.MEDIA_URL + name
    if Entry.objects.visible_to(user).filter(body__contains=url).exists():
        return True
    if NewsItem.objects.visible_to(user).filter(body__contains=url).exists():
        return True
    return user.is_authenticated and user.is_staff


def serve_media(request, path):
    """Uploaded files, served only to those who may see what they belong to.

    With ``settings.MEDIA_ACCEL_REDIRECT`` set to an internal location such as
    "/protected-media/", the web server sends the file (X-Accel-Redirect, nginx); set to
    "x-sendfile", Apache's X-Sendfile header is used. Otherwise Django streams it.
    """
    name = posixpath.normpath(path).lstrip("/")
    if name.startswith("..") or "\x00" in name or name in ("", "."):
        raise Http404(_("No such file."))
    if not _media_owner_visible(request, name):
        if request.user.is_authenticated:
            raise Http404(_("No such file."))
        return redirect_to_login(request.get_full_path())
    full_path = settings.MEDIA_ROOT / name
    if not full_path.is_file():
        raise Http404(_("No such file."))
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    if accel:
        response = HttpResponse(content_type=mimetypes.guess_type(name)[0] or "")
        if accel == "x-sendfile":
            response["X-Sendfile"] = str(full_path)
        else:
            response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + name
    else:
        response = FileResponse(full_path.open("rb"))
    patch_cache_control(response, private=True, max_age=3600)
    return response


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


def issue_pdf(request, year, month):
    """The issue as a PDF (?paper=A4|A5, ?booklet=1), stamped with the reader's name.

    For those who may see the issue and hold ``bulletin.export_pdf``; every copy is logged.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    issue = get_object_or_404(Issue.objects.visible_to(request.user), year=year, month=month)
    if not request.user.has_perm("bulletin.export_pdf"):
        raise PermissionDenied(_("You may not export the PDF of an issue."))
    return pdf_download(request, issue)
