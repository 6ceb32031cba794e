import datetime

from adminsortable2.admin import SortableAdminBase, SortableInlineAdminMixin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin import ReadableBodyMixin, RevisionAdmin
from core.editing import (
    FrozenContentAdminMixin,
    FrozenInlineMixin,
    VersionCheckAdminMixin,
)

from . import admin_views, readiness, workflow
from .admin_committees import CommitteeScopedAdminMixin
from .models import (
    DEFAULT_TITLE,
    Committee,
    Download,
    Entry,
    Footnote,
    Issue,
    Paper,
    Rendition,
    ScanImport,
    ScanPage,
    Status,
    Transition,
)
from .printing import renditions
from .views import pdf_download

STATUS_COLOURS = {
    Status.DRAFT: "#6c757d",
    Status.IN_REVIEW: "#b7791f",
    Status.APPROVED: "#2b6cb0",
    Status.PUBLISHED: "#2f855a",
    Status.WITHDRAWN: "#c53030",
}


class FootnoteInline(
    CommitteeScopedAdminMixin, FrozenInlineMixin, VersionCheckAdminMixin, admin.TabularInline
):
    model = Footnote
    issue_path = "entry__issue"
    extra = 0
    fields = ["position", "text"]


class EntryInline(
    CommitteeScopedAdminMixin,
    SortableInlineAdminMixin,
    ReadableBodyMixin,
    FrozenInlineMixin,
    VersionCheckAdminMixin,
    admin.StackedInline,
):
    """The entries in their order, moved by dragging (their numbers follow the order)."""

    model = Entry
    extra = 0
    fields = ["position", "kind", "title", "document", "body"]
    autocomplete_fields = ["document"]
    show_change_link = True
    ordering = ["position", "pk"]


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    fields = ["at", "by", "from_status", "to_status", "comment"]
    readonly_fields = fields
    verbose_name_plural = _("workflow history")
    view_on_site = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Whoever works on an issue sees its history.
        return request.user.has_perm("bulletin.view_issue")


class ScanPageInline(admin.TabularInline):
    """The scanned pages a draft was read from, to compare with it (staff only, like the
    files themselves)."""

    model = ScanPage
    extra = 0
    can_delete = False
    fields = ["number", "page_image"]
    readonly_fields = fields
    verbose_name_plural = _("scanned pages to compare with")
    view_on_site = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("page image"))
    def page_image(self, obj):
        return format_html(
            '<a href="{}" target="_blank"><img src="{}" alt="" style="max-height:12em"></a>',
            obj.image.url,
            obj.image.url,
        )


@admin.register(ScanImport)
class ScanImportAdmin(admin.ModelAdmin):
    """Scans uploaded in the admin and read in the background: what became of each."""

    list_display = ["filename", "requested_at", "requested_by", "state", "issue"]
    list_filter = ["state"]
    fields = [
        "filename",
        "requested_at",
        "requested_by",
        "month",
        "year",
        "state",
        "issue",
        "message",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StepForm(forms.Form):
    """The optional comment and publication time a workflow button posts."""

    comment = forms.CharField(required=False, max_length=5000)
    at = forms.DateTimeField(required=False)
    # Publishing an issue that still lacks something asks first (readiness.publication_gaps).
    confirmed = forms.BooleanField(required=False)


@admin.register(Issue)
class IssueAdmin(
    CommitteeScopedAdminMixin,
    SortableAdminBase,
    FrozenContentAdminMixin,
    VersionCheckAdminMixin,
    RevisionAdmin,
):
    # Django's template lookup (admin/bulletin/issue/change_list.html, with the import button)
    # rather than reversion's generic one.
    change_list_template = None
    issue_path = "pk"
    list_display = [
        "issue_label",
        "status_badge",
        "visibility",
        "published_when",
        "photos_needed",
        "needs_review",
        "updated_when",
    ]
    list_filter = [
        ("committee", admin.RelatedOnlyFieldListFilter),
        "status",
        "needs_review",
        "year",
        "visibility",
    ]
    search_fields = ["title", "entries__title"]
    readonly_fields = [
        "status",
        "published_at",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": ["committee", "month", "year", "number", "visibility"],
                "description": _(
                    "The month the issue is for. Once submitted for review, the issue and its "
                    "contents can no longer be changed unless a reviewer sends it back."
                ),
            },
        ),
        (
            _("Cover"),
            {
                "fields": ["cover_committee", "cover_board", "title"],
                "description": _(
                    "The lines printed on the cover; left empty, the committee's own lines."
                ),
            },
        ),
        (
            _("Audit"),
            {
                "fields": readonly_fields,
                "classes": ["collapse"],
                "description": _("Filled in automatically."),
            },
        ),
    ]
    inlines = [EntryInline, TransitionInline, ScanPageInline]
    # A draft read from a scan: what recognition was unsure of, until an editor has compared it.
    readonly_fields = [*readonly_fields, "review_notes"]
    fieldsets = [
        *fieldsets,
        (
            _("Review of a scan"),
            {
                "fields": ["needs_review", "review_notes"],
                "description": _(
                    "Text recognition makes mistakes: compare the draft with the scanned pages "
                    "below, starting with the pages and words listed here, then clear “needs "
                    "review”."
                ),
            },
        ),
    ]
    # PDF export: links to the issue's PDF and the state of its stored copies.
    readonly_fields = [*readonly_fields, "pdf_export"]
    fieldsets = [
        *fieldsets,
        (
            "PDF",
            {
                "fields": ["pdf_export"],
                "description": _(
                    "A draft is rendered when you open its PDF; a published issue's PDF is "
                    "stored and rendered again when its content changes."
                ),
            },
        ),
    ]

    @admin.display(description="PDF")
    def pdf_export(self, obj):
        """Links to the PDF of ``obj`` and, for each stored paper size, when it was rendered or
        why its last render failed."""
        if obj is None or obj.pk is None:
            return "—"
        url = reverse(f"{self.admin_site.name}:bulletin_issue_pdf", args=[obj.pk])
        links = format_html(
            '<a class="button" href="{}">{}</a> <a class="button" href="{}?paper=A5">{}</a> '
            '<a class="button" href="{}?booklet=1">{}</a>',
            url,
            _("PDF A4"),
            url,
            _("PDF A5"),
            url,
            _("Booklet"),
        )
        rows = []
        for rendition in obj.renditions.all():
            if rendition.failed_at and rendition.error:
                state = format_html(
                    '<strong style="color:#c53030">{}</strong> {}',
                    _("Last render failed at %(time)s:")
                    % {"time": formats.localize(timezone.localtime(rendition.failed_at))},
                    rendition.error,
                )
            elif rendition.rendered_at:
                state = _("rendered at %(time)s") % {
                    "time": formats.localize(timezone.localtime(rendition.rendered_at))
                }
                if not renditions.is_fresh(rendition):
                    state += " " + str(_("(out of date: rendered again at the next download)"))
            else:
                state = _("not rendered yet")
            label = rendition.paper
            if rendition.paper == Paper.A5:
                label = _("A5 and booklet")
            rows.append((label, state))
        status = format_html_join("", "<li>{}: {}</li>", rows)
        if not rows:
            status = format_html("<li>{}</li>", _("No stored PDF."))
        return format_html("<p>{}</p><ul>{}</ul>", links, status)

    def pdf_view(self, request, object_id):
        """The PDF of any issue, for staff who may export: drafts are rendered on demand."""
        issue = self.get_object(request, unquote(object_id))
        if issue is None:
            raise Http404(_("No such issue."))
        if not (
            self.has_view_or_change_permission(request, issue)
            and request.user.has_perm("bulletin.export_pdf")
        ):
            raise PermissionDenied
        return pdf_download(request, issue)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("committee")
            .annotate(
                photos_missing=Count(
                    "entries__news_items__photos",
                    filter=Q(entries__news_items__photos__image=""),
                )
            )
        )

    @admin.display(description=_("needs a photo"), ordering="photos_missing")
    def photos_needed(self, obj):
        return obj.photos_missing or ""

    @admin.display(description=_("issue"), ordering=("year", "month"))
    def issue_label(self, obj):
        """The month first, which tells issues apart; the title (the same every month) only
        when it is not the usual one."""
        month = format_html('<span class="nowrap">{}</span>', obj.month_label)
        if obj.title == DEFAULT_TITLE:
            return month
        return format_html("{}<br><small>{}</small>", month, obj.title)

    @admin.display(description=_("issue"), ordering=("committee__name", "year", "month"))
    def issue_of_committee(self, obj):
        return format_html("{}<br><small>{}</small>", self.issue_label(obj), obj.committee.name)

    def get_list_display(self, request):
        """Staff who follow several committees see whose each issue is under its month: a
        column of its own pushed the list past a 1280 px screen."""
        columns = list(super().get_list_display(request))
        overseen = Committee.objects.all()
        if not request.user.is_superuser:
            overseen = overseen.overseen_by(request.user)
        if overseen.count() > 1:
            columns[columns.index("issue_label")] = "issue_of_committee"
        return columns

    # Dates as people write them (30/11/2026 13:21), so the columns stay narrow.
    @admin.display(description=_("publication time"), ordering="published_at")
    def published_when(self, obj):
        return _short_time(obj.published_at)

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated_when(self, obj):
        return _short_time(obj.updated_at)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        label = Status(obj.status).label
        if obj.status == Status.PUBLISHED and not obj.is_published:
            label = _("Scheduled")
        return format_html(
            '<span class="status-badge status-{}" style="background:{};color:#fff;'
            'padding:2px 8px;border-radius:8px;white-space:nowrap">{}</span>',
            obj.status,
            STATUS_COLOURS.get(obj.status, "#444"),
            label,
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        committee = Committee.objects.staffed_by(request.user).order_by("pk").first()
        if committee is not None:
            initial.setdefault("committee", committee.pk)
        latest = Issue.objects.editable_by(request.user)
        if committee is not None:
            latest = latest.filter(committee=committee)
        latest = latest.order_by("-year", "-month").first()
        if latest:
            year, month = latest.year, latest.month
        else:
            today = datetime.date.today()
            year, month = today.year, today.month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        initial.setdefault("month", month)
        initial.setdefault("year", year)
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        opts = self.model._meta
        return [
            # Before the object URLs, which would take "import/" for an object id.
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            path(
                "<path:object_id>/workflow/<slug:step>/",
                self.admin_site.admin_view(self.workflow_view),
                name=f"{opts.app_label}_{opts.model_name}_workflow",
            ),
            path(
                "<path:object_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name=f"{opts.app_label}_{opts.model_name}_pdf",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        return admin_views.import_issue(request, self)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, unquote(object_id))
        if issue is None:
            # Another committee's issue is no more there than a missing one.
            raise Http404(_("No such issue."))
        context = dict(extra_context or {})
        if issue is not None:
            context["workflow_steps"] = [
                {
                    "step": step,
                    "url": reverse(
                        f"{self.admin_site.name}:bulletin_issue_workflow",
                        args=[quote(issue.pk), step.name],
                    ),
                }
                for step in workflow.available_steps(issue, request.user)
            ]
            context["frozen"] = Status(issue.status).is_frozen
            if request.user.has_perm("bulletin.preview_issue"):
                context["preview_url"] = issue.get_absolute_url()
        return super().change_view(request, object_id, form_url, context)

    def workflow_view(self, request, object_id, step):
        change_url = reverse(
            f"{self.admin_site.name}:bulletin_issue_change", args=[quote(object_id)]
        )
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        issue = self.get_object(request, unquote(object_id))
        if issue is None or step not in workflow.STEPS:
            raise Http404
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        form = StepForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return HttpResponseRedirect(change_url)
        if step == "publish" and not form.cleaned_data["confirmed"]:
            gaps = readiness.publication_gaps(issue, site=self.admin_site.name)
            if gaps and workflow.STEPS[step].allows_from(issue.status):
                return self._confirm_publication(request, issue, form, gaps, change_url)
        try:
            workflow.perform(
                issue,
                step,
                request.user,
                comment=form.cleaned_data["comment"],
                at=form.cleaned_data["at"],
                # Mails link to the site as this request reached it.
                site_url=request.build_absolute_uri("/"),
            )
        except PermissionDenied as refusal:
            messages.error(request, str(refusal))
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            issue.refresh_from_db()
            if step == "publish" and not issue.is_published:
                # "Published" alone misleads when the issue only appears at a future time.
                messages.success(
                    request,
                    _("The issue is scheduled: members will see it from %(at)s.")
                    % {
                        "at": formats.date_format(
                            timezone.localtime(issue.published_at), "d/m/Y H:i"
                        )
                    },
                )
            else:
                messages.success(request, workflow.STEPS[step].done_message)
        return HttpResponseRedirect(change_url)

    def _confirm_publication(self, request, issue, form, gaps, change_url):
        """The page that lists what the issue still lacks and asks the leader to confirm."""
        at = form.data.get("at", "")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish “%(issue)s”?") % {"issue": issue},
            "opts": self.model._meta,
            "original": issue,
            "gaps": gaps,
            "comment": form.cleaned_data["comment"],
            "at": at,
            "change_url": change_url,
            "action_url": request.path,
        }
        return TemplateResponse(request, "admin/bulletin/issue/publish_confirm.html", context)


def _short_time(value):
    return formats.date_format(timezone.localtime(value), "d/m/Y H:i") if value else "—"


@admin.register(Entry)
class EntryAdmin(
    CommitteeScopedAdminMixin,
    SortableAdminBase,
    ReadableBodyMixin,
    FrozenContentAdminMixin,
    VersionCheckAdminMixin,
    RevisionAdmin,
):
    list_display = ["title", "issue", "position", "kind"]
    list_filter = ["kind", "issue__year"]
    search_fields = ["title", "search_text"]
    list_select_related = ["issue"]
    autocomplete_fields = ["document"]
    fieldsets = [
        (None, {"fields": ["issue", "position", "kind", "title"]}),
        (
            _("Body text"),
            {
                "fields": ["document", "body"],
                "description": _(
                    "For a document summary, choose the document from the registry. "
                    "Paste from Word keeps headings, lists, bold and tables."
                ),
            },
        ),
    ]
    # news/admin.py adds the news items of a news section (bulletin does not know news).
    inlines = [FootnoteInline]

    def get_inlines(self, request, obj):
        """An inline that belongs to one kind of entry (``entry_kind``) only shows on it."""
        return [
            inline
            for inline in super().get_inlines(request, obj)
            if getattr(inline, "entry_kind", None) in (None, getattr(obj, "kind", None))
        ]


@admin.register(Footnote)
class FootnoteAdmin(
    CommitteeScopedAdminMixin, FrozenContentAdminMixin, VersionCheckAdminMixin, admin.ModelAdmin
):
    issue_path = "entry__issue"
    list_display = ["__str__", "entry", "position"]
    search_fields = ["text"]
    list_select_related = ["entry"]


@admin.register(Transition)
class TransitionAdmin(CommitteeScopedAdminMixin, admin.ModelAdmin):
    list_display = ["issue", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    search_fields = ["comment"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Rendition)
class RenditionAdmin(CommitteeScopedAdminMixin, admin.ModelAdmin):
    list_display = ["issue", "paper", "rendered_at", "failed_at", "error"]
    list_filter = ["paper"]
    search_fields = ["issue__title", "error"]

    # Renditions are rendered by the worker, never typed in.
    def has_add_permission(self, request):
        return False


@admin.register(Download)
class DownloadAdmin(CommitteeScopedAdminMixin, admin.ModelAdmin):
    list_display = ["issue", "user", "at", "paper", "booklet"]
    list_filter = ["paper", "booklet", "at"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["issue", "user"]

    # The log is a record: reviewers with "Can see who downloaded PDFs" read it, nobody edits it.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("bulletin.view_download_log") or super().has_view_permission(
            request, obj
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request) or super().has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    """Committees are set up by superusers (or ``manage.py add_committee``); staff of a
    committee see its page read-only."""

    list_display = ["name", "board", "slug", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["staff"]
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "board", "slug", "parent"],
                "description": _(
                    "The committee's name and board are printed on the cover of its issues; its "
                    "short name is its part of the site's addresses."
                ),
            },
        ),
        (_("Board staff"), {"fields": ["staff"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=Committee.objects.overseen_by(request.user).values("pk"))
