from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import YEAR_VALIDATORS
from core.models import Searchable
from core.richtext import SanitizedHTMLField, clean_html, html_to_text
from documents.linking import cited_documents, render_body

from . import workflow
from .committees import default_slug, validate_committee_slug
from .workflow import Status

DEFAULT_TITLE = "Tài liệu phục vụ sinh hoạt chi bộ"
INTERNAL_USE_NOTICE = "SỬ DỤNG VÀ BẢO QUẢN TRONG NỘI BỘ CỦA ĐẢNG"


def default_committee():
    return settings.BULLETIN_COMMITTEE


def default_board():
    return settings.BULLETIN_BOARD


class CommitteeQuerySet(models.QuerySet):
    """Which committees a user belongs to, in each of the three ways one can."""

    def staffed_by(self, user):
        """Committees whose issues ``user`` writes, reviews and publishes."""
        return self.filter(staff=user)

    def overseen_by(self, user):
        """Committees ``user`` works on, and those below them (a provincial board follows its
        districts' issues; communes under districts are two levels down)."""
        return self.filter(Q(staff=user) | Q(parent__staff=user) | Q(parent__parent__staff=user))

    def read_by(self, user):
        """Committees whose members-only issues ``user`` reads: those they oversee and the one
        of their party cell (``members.Profile.committee``, reached by its reverse relation so
        that the bulletin does not depend on the members app)."""
        return self.filter(
            Q(staff=user)
            | Q(parent__staff=user)
            | Q(parent__parent__staff=user)
            | Q(profiles__user=user)
        )

    def search_scope(self, user, requested=None):
        """The committee a search keeps to: the one asked for by its slug, else the reader's own
        (their party cell's, else the first they work on); None for a visitor who asked for
        none, who searches every public issue."""
        if requested:
            return self.filter(slug=requested).first()
        if not user.is_authenticated:
            return None
        own = self.filter(profiles__user=user).first() or self.staffed_by(user).first()
        return own or self.default()

    def default(self):
        """The installation's first committee (``BULLETIN_COMMITTEE_SLUG``), created from the
        cover settings if it is missing."""
        committee, _created = self.get_or_create(
            slug=default_slug(),
            defaults={"name": settings.BULLETIN_COMMITTEE, "board": settings.BULLETIN_BOARD},
        )
        return committee


def default_committee_id():
    return Committee.objects.default().pk


def readable_committee_ids(user):
    """The ids of the committees whose members-only issues ``user`` reads, asked once per
    request (remembered on the request's user object).

    An account in no committee at all (an official without a member profile, an account from
    before there were several committees) reads as a member of the default one. Literal ids,
    rather than the committees' subquery inside every visibility condition: PostgreSQL planned
    that subquery once per searched kind, which doubled a member's search."""
    ids = getattr(user, "_readable_committee_ids", None)
    if ids is None:
        ids = sorted(set(Committee.objects.read_by(user).values_list("pk", flat=True)))
        if not ids:
            ids = [default_committee_id()]
        user._readable_committee_ids = ids
    return ids


class Committee(models.Model):
    """A Party committee whose Propaganda Board publishes its own bulletin. A province holds its
    districts through ``parent``."""

    name = models.CharField(
        _("committee"),
        max_length=255,
        help_text=_("First line of the cover, e.g. THÀNH ỦY CAO BẰNG."),
    )
    board = models.CharField(
        _("board"),
        max_length=255,
        default=default_board,
        help_text=_("Second line of the cover, e.g. BAN TUYÊN GIÁO."),
    )
    slug = models.SlugField(
        _("short name"),
        max_length=50,
        unique=True,
        validators=[validate_committee_slug],
        help_text=_(
            "The committee's part of the site's addresses, e.g. “huyen-uy-hoa-an” for "
            "/huyen-uy-hoa-an/issues/2024/6/. Lower-case letters without accents, digits and "
            "hyphens."
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("higher committee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_(
            "For a district committee, the province above it; its board follows this "
            "committee's issues without changing them."
        ),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("board staff"),
        blank=True,
        related_name="committees",
        help_text=_(
            "Editors and leaders who write, review and publish this committee's issues. They "
            "see no other committee's issues, except those of the committees below this one, "
            "which they may read but not change."
        ),
    )

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("bulletin:committee", args=[self.slug])

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {
                        "parent": _(
                            "A committee cannot be placed under itself or under a "
                            "committee below it."
                        )
                    }
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Members only")
    PUBLIC = "public", _("Public")


class IssueQuerySet(models.QuerySet):
    def published(self):
        """Issues members can see now. A future ``published_at`` is a scheduled publication:
        the issue appears by itself when that time comes, without anyone clicking."""
        return self.filter(self._published())

    @staticmethod
    def _published():
        return Q(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """The one access rule of the site: public issues of every committee for everyone,
        members-only issues for logged-in members of their committee (and the staff of it or
        of a committee above it), unpublished issues only for that staff when they may preview
        them. Superusers see everything."""
        # One condition on the issue row, never the issues filtered by a subquery of issues:
        # PostgreSQL, planning freshly written rows, ran that form of the rule for every row of
        # a search (minutes with a thousand issues).
        published = self._published()
        public = Q(visibility=Visibility.PUBLIC)
        if not (user.is_authenticated and user.is_active):
            return self.filter(published & public)
        if user.is_superuser:
            return self
        condition = published & (public | Q(committee__in=readable_committee_ids(user)))
        if user.has_perm("bulletin.preview_issue"):
            condition |= self._overseen(user)
        return self.filter(condition)

    def overseen_by(self, user):
        """The issues the admin lists for ``user``: those of the committees they work on and of
        the committees below them. Staff in no committee see none."""
        if user.is_superuser:
            return self
        return self.filter(self._overseen(user))

    def editable_by(self, user):
        """The issues ``user`` may change and move through the workflow (their permissions
        permitting): those of the committees they work on, never those below them."""
        if user.is_superuser:
            return self
        return self.filter(committee__in=Committee.objects.staffed_by(user).values("pk"))

    @staticmethod
    def _overseen(user):
        return Q(committee__in=Committee.objects.overseen_by(user).values("pk"))

    def next_publication_time(self):
        """When the next scheduled publication happens (None when none is scheduled): pages
        that list issues change then by themselves."""
        scheduled = self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())
        return scheduled.aggregate(next=models.Min("published_at"))["next"]

    def withheld_from(self, user):
        """Published issues ``user`` may not read (yet): for a visitor, the members-only ones.
        Pages say these exist rather than telling a visitor there is nothing."""
        return self.published().exclude(pk__in=self.visible_to(user).values("pk"))


def issue_of(obj):
    """The issue whose content ``obj`` is part of, or None (a registry document belongs to none).
    Content models of every app say it themselves through ``owning_issue``."""
    if isinstance(obj, Issue):
        return obj
    return getattr(obj, "owning_issue", None)


class IssueContent:
    """Printed in an issue (an entry, a footnote, a news item, a photo): it changes with the
    issue and is frozen with it once the issue is submitted. Subclasses define
    ``owning_issue``."""

    owning_issue = None

    @property
    def is_frozen(self):
        """Read from the database: the issue may have moved on since this object was loaded."""
        issue = self.owning_issue
        if issue is None or issue.pk is None:
            return False
        status = Issue.objects.filter(pk=issue.pk).values_list("status", flat=True).first()
        return status is not None and Status(status).is_frozen


class Issue(models.Model):
    """One monthly issue of the bulletin."""

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        default=default_committee_id,
        related_name="issues",
        help_text=_("The committee whose board publishes this issue."),
    )
    cover_committee = models.CharField(
        _("committee"),
        max_length=255,
        blank=True,
        help_text=_(
            "First line of the cover, e.g. THÀNH ỦY CAO BẰNG. Left empty, the committee's name."
        ),
    )
    cover_board = models.CharField(
        _("board"),
        max_length=255,
        blank=True,
        help_text=_("Second line of the cover, e.g. BAN TUYÊN GIÁO. Left empty, the committee's."),
    )
    title = models.CharField(_("title"), max_length=255, default=DEFAULT_TITLE)
    number = models.PositiveSmallIntegerField(
        _("number"), null=True, blank=True, help_text=_("Optional issue number.")
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
        help_text=_("Members only unless the board decides the issue may be read by anyone."),
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When members can see it; a future time schedules the publication."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    content_changed_at = models.DateTimeField(
        _("content changed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The last change to any entry, footnote, news item, photo or document of it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # A draft read from a scan by text recognition: the words it was least sure of are in the
    # notes, the page images in ``scan_pages``.
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        help_text=_(
            "Set when the issue was read from a scan: compare it with the page images, then "
            "clear this box."
        ),
    )
    review_notes = models.TextField(
        _("review notes"),
        blank=True,
        help_text=_("What text recognition was least sure of: the weakest pages and words."),
    )

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-year", "-month"]
        get_latest_by = ["year", "month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="issue_month_1_12",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
            models.UniqueConstraint(
                fields=["committee", "year", "month"],
                name="unique_issue_per_committee_month",
                violation_error_message=_("This committee already has an issue for that month."),
            ),
        ]
        permissions = [
            ("submit_issue", _("Can submit an issue for review")),
            ("review_issue", _("Can approve or reject an issue")),
            ("publish_issue", _("Can publish or withdraw an issue")),
            ("preview_issue", _("Can preview unpublished issues")),
            ("export_pdf", _("Can export the PDF of an issue")),
            ("view_download_log", _("Can see who downloaded PDFs")),
        ]

    def __str__(self):
        return f"{self.title} tháng {self.month} năm {self.year}"

    def save(self, *args, **kwargs):
        # The cover keeps the lines it was printed with, even if the committee is renamed later.
        if not self.cover_committee:
            self.cover_committee = self.committee.name
        if not self.cover_board:
            self.cover_board = self.committee.board
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("bulletin:issue", args=[self.committee.slug, self.year, self.month])

    @property
    def month_label(self):
        return f"Tháng {self.month} năm {self.year}"

    @property
    def internal_use_notice(self):
        return INTERNAL_USE_NOTICE

    @property
    def last_modified(self):
        """The latest change of the issue or of anything printed in it."""
        return max(filter(None, [self.updated_at, self.content_changed_at]))

    @property
    def is_frozen(self):
        status = Issue.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        return status is not None and Status(status).is_frozen

    @property
    def is_published(self):
        """``IssueQuerySet.published()`` for an issue already loaded; keep the two in step."""
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    # The workflow (bulletin/workflow.py holds the rules). Each step raises PermissionDenied for a
    # user who may not take it and ValidationError when the issue's state does not allow it.
    def submit(self, by):
        return self._step("submit", by)

    def approve(self, by):
        return self._step("approve", by)

    def reject(self, by, comment):
        return self._step("reject", by, comment=comment)

    def publish(self, by, at=None):
        return self._step("publish", by, at=at)

    def withdraw(self, by):
        return self._step("withdraw", by)

    def reopen(self, by):
        return self._step("reopen", by)

    def _step(self, name, by, **options):
        return workflow.perform(self, name, by, **options)


class EntryKind(models.TextChoices):
    DOCUMENT = "document", _("Document summary")
    ARTICLE = "article", _("Article")
    NEWS = "news", _("Activity news")


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Entries follow their issue: visible exactly when the issue is."""
        return self.filter(issue__in=Issue.objects.visible_to(user))


class Entry(IssueContent, Searchable):
    """One numbered item of an issue's contents. Its number comes from its position."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="entries"
    )
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=EntryKind.choices, default=EntryKind.ARTICLE
    )
    title = models.TextField(
        _("heading"),
        help_text=_(
            "The heading as printed. For a document summary, the citation of the document."
        ),
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        help_text=_("For a document summary: the registry entry it summarises."),
    )
    body = SanitizedHTMLField(_("text"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    cited_documents = models.ManyToManyField(
        "documents.Document",
        verbose_name=_("documents cited in the text"),
        related_name="citing_entries",
        blank=True,
        editable=False,
        help_text=_("Filled in from the text of a document summary each time it is saved."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta(Searchable.Meta):
        verbose_name = _("contents entry")
        verbose_name_plural = _("contents entries")
        ordering = ["issue", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="document") | Q(document__isnull=False),
                name="document_entry_has_document",
                violation_error_message=_("A document summary must name its document."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        clean_html(self, "body")
        self.body_html = render_body(self.body, footnote_prefix=self.pk)
        self.set_search_text(self.title, html_to_text(self.body))
        super().save(*args, **kwargs)
        if 'class="footnote-ref"' in self.body and f"fn-{self.pk}-" not in self.body_html:
            # A new entry: its footnote anchors need the primary key it just received.
            self.body_html = render_body(self.body, footnote_prefix=self.pk)
            Entry.objects.filter(pk=self.pk).update(body_html=self.body_html)
        self.cited_documents.set(self.documents_cited_in_text())

    def get_absolute_url(self):
        return self.issue.get_absolute_url() + f"#entry-{self.pk}"

    @classmethod
    def rerender_derived(cls, glossary):
        """Re-render every entry's body after the glossary or the registry changed (the
        ``refresh_derived`` command); returns how many changed."""
        changed = 0
        for entry in cls.objects.select_related("document").iterator():
            html = render_body(entry.body, glossary=glossary, footnote_prefix=entry.pk)
            if html != entry.body_html:
                cls.objects.filter(pk=entry.pk).update(body_html=html)
                changed += 1
            # A document registered after the text was saved is cited from now on.
            entry.cited_documents.set(entry.documents_cited_in_text())
        return changed

    def documents_cited_in_text(self):
        """The registry documents the current text of a document summary cites (other than the
        one it summarises). Stored per entry and replaced on every save: a citation removed
        from the text is gone, and with it whatever visibility it gave the cited document
        (``DocumentQuerySet.visible_to``). Only summaries count, as the registry's "cites"."""
        if self.kind != EntryKind.DOCUMENT or not self.document_id:
            return []
        return [d for d in cited_documents(self.body) if d.pk != self.document_id]

    @property
    def owning_issue(self):
        return self.issue if self.issue_id else None


class Footnote(IssueContent, models.Model):
    """A footnote of an entry; the body marks where it is cited with <sup class="footnote-ref">."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="footnotes"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = SanitizedHTMLField(_("text"))

    class Meta:
        verbose_name = _("footnote")
        verbose_name_plural = _("footnotes")
        ordering = ["entry", "position", "pk"]

    def __str__(self):
        return html_to_text(self.text)[:80]

    def get_absolute_url(self):
        return self.entry.get_absolute_url()

    @property
    def owning_issue(self):
        return self.entry.issue if self.entry_id else None


class Transition(models.Model):
    """One step of an issue's workflow, kept for ever: who, when, from, to, and why."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow history")
        ordering = ["issue", "at", "pk"]

    def __str__(self):
        return f"{self.issue}: {self.get_from_status_display()} → {self.get_to_status_display()}"

    def get_absolute_url(self):
        return reverse("admin:bulletin_issue_change", args=[self.issue_id])


class Paper(models.TextChoices):
    A4 = "A4", "A4"
    A5 = "A5", "A5"


class Rendition(models.Model):
    """The cached PDF of an issue for one paper size, rendered when its content changes."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="renditions"
    )
    paper = models.CharField(_("paper"), max_length=4, choices=Paper.choices, default=Paper.A4)
    file = models.FileField(_("file"), upload_to="pdf/", blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("PDF rendition")
        verbose_name_plural = _("PDF renditions")
        ordering = ["issue", "paper"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "paper"], name="unique_rendition_per_paper"),
        ]

    def __str__(self):
        return f"{self.issue} ({self.paper})"

    def get_absolute_url(self):
        return reverse(
            "bulletin:pdf", args=[self.issue.committee.slug, self.issue.year, self.issue.month]
        )


class Download(models.Model):
    """A PDF downloaded by a reader: the copy carried their name as a watermark."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="downloads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    paper = models.CharField(_("paper"), max_length=4, choices=Paper.choices, default=Paper.A4)
    booklet = models.BooleanField(_("booklet"), default=False)

    class Meta:
        verbose_name = _("PDF download")
        verbose_name_plural = _("PDF downloads")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} · {self.issue} · {self.at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("admin:bulletin_download_change", args=[self.pk])


class ScanPage(models.Model):
    """A scanned page an issue was read from, kept for the editor to compare the draft with.
    Staff only: the media owner check (``bulletin.apps``) hides these files from members."""

    UPLOAD_PREFIX = "scans/"

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="scan_pages"
    )
    number = models.PositiveSmallIntegerField(_("page"))
    image = models.ImageField(_("page image"), upload_to="scans/%Y/%m/")

    class Meta:
        verbose_name = _("scanned page")
        verbose_name_plural = _("scanned pages")
        ordering = ["issue", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "number"], name="unique_scan_page"),
        ]

    def __str__(self):
        return _("Page %(number)d of %(issue)s") % {"number": self.number, "issue": self.issue}

    def get_absolute_url(self):
        return self.image.url


class ScanImport(models.Model):
    """A scan uploaded in the admin and read by text recognition in the background."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Being read")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")

    upload = models.FileField(_("uploaded file"), upload_to="scans/uploads/", blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    replace = models.BooleanField(_("replace the month's issue"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    message = models.TextField(_("message"), blank=True)
    issue = models.ForeignKey(
        Issue,
        verbose_name=_("issue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("scan import")
        verbose_name_plural = _("scan imports")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.filename} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("admin:bulletin_scanimport_change", args=[self.pk])
