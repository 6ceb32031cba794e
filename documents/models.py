from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Searchable
from core.richtext import fold


class DocumentType(models.TextChoices):
    """Kinds of official documents, labelled as they are printed in citations. The labels are
    the documents' own Vietnamese names, not interface text: they are never translated."""

    RESOLUTION = "nghi-quyet", "Nghị quyết"
    DIRECTIVE = "chi-thi", "Chỉ thị"
    CONCLUSION = "ket-luan", "Kết luận"
    REGULATION = "quy-dinh", "Quy định"
    DECISION = "quyet-dinh", "Quyết định"
    PLAN = "ke-hoach", "Kế hoạch"
    ACTION_PROGRAM = "chuong-trinh-hanh-dong", "Chương trình hành động"
    PROJECT = "de-an", "Đề án"
    OFFICIAL_LETTER = "cong-van", "Công văn"
    GUIDANCE = "huong-dan", "Hướng dẫn"
    NOTICE = "thong-bao", "Thông báo"
    REPORT = "bao-cao", "Báo cáo"
    OTHER = "khac", "Khác"


class Issuer(models.Model):
    """A body that issues documents: "Ban Thường vụ Tỉnh ủy Cao Bằng", "Ban Bí thư"..."""

    name = models.CharField(_("name"), max_length=255, unique=True)

    class Meta:
        verbose_name = _("issuing body")
        verbose_name_plural = _("issuing bodies")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("documents:list") + f"?issuer={self.pk}"


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Documents follow the issues: a document is visible when a document summary the user
        may see summarises it or cites it in its current text. Staff who may view the registry
        see every row, including documents no issue mentions yet.

        Derived on every request from the entries as they are now: a citation removed from a
        text, or an issue withdrawn, takes the visibility it gave with it."""
        if user.is_authenticated and user.is_staff and user.has_perm("documents.view_document"):
            return self
        # The issues live in the bulletin app, which cites the registry; the registry reaches
        # the entries through the reverse relations (``entries``: the summaries of a document,
        # ``citing_entries``: the summaries citing it), never by import.
        entries = self.model.entries.rel.related_model.objects.visible_to(user)
        summarised = entries.filter(document=models.OuterRef("pk"))
        cited = entries.filter(cited_documents=models.OuterRef("pk"))
        return self.filter(models.Exists(summarised) | models.Exists(cited))

    def cited_by_summaries(self, summaries):
        """Documents the texts of ``summaries`` (entries) cite."""
        return self.filter(citing_entries__in=summaries).distinct()

    def citing_in_summaries(self, document, summaries):
        """Documents summarised by one of ``summaries`` whose text cites ``document``."""
        return self.filter(entries__in=summaries.filter(cited_documents=document)).distinct()

    def search_folded(self, query):
        """Documents whose folded text holds every word of ``query`` (the SQLite search path)."""
        queryset = self
        for word in fold(query).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset


class Document(Searchable):
    """One official document. The same directive summarised in two issues is one row."""

    doc_type = models.CharField(
        _("type"), max_length=32, choices=DocumentType.choices, default=DocumentType.OTHER
    )
    number = models.CharField(
        _("number"),
        max_length=64,
        help_text=_('Exactly as printed, for example "29-CT/TU" or "210/KH-UBND".'),
    )
    issued_on = models.DateField(_("issued on"))
    issuer = models.ForeignKey(
        Issuer,
        verbose_name=_("issuing body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    subject = models.TextField(
        _("subject"), help_text=_("The summary line (trích yếu) that follows “về”.")
    )
    signer = models.CharField(_("signed by"), max_length=255, blank=True)
    original_file = models.FileField(
        _("original file"),
        upload_to="documents/%Y/",
        blank=True,
        help_text=_("The signed document as a PDF or Word file, if the board has it."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta(Searchable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["doc_type", "number", "issued_on"],
                name="unique_document",
                violation_error_message=_(
                    "This document is already in the registry (same type, number and date)."
                ),
            ),
        ]

    def __str__(self):
        return self.citation

    def save(self, *args, **kwargs):
        # The citation prints the date: a date given as text (a script, a fixture) is read first.
        self.issued_on = self._meta.get_field("issued_on").to_python(self.issued_on)
        # The citation and the subject are what people look a document up by: its heading.
        self.set_search_text(f"{self.citation} {self.subject}", self.signer)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("documents:detail", args=[self.pk])

    @property
    def citation(self):
        """The document cited the way the bulletin prints it."""
        text = f"{self.get_doc_type_display()} số {self.number}, ngày {self.issued_on:%d/%m/%Y}"
        if self.issuer_id:
            text += f" của {self.issuer}"
        return text


class Abbreviation(models.Model):
    """An abbreviation of the glossary, shown with its meaning wherever it appears on the site."""

    abbreviation = models.CharField(_("abbreviation"), max_length=32, unique=True)
    meaning = models.CharField(_("meaning"), max_length=255)

    class Meta:
        verbose_name = _("abbreviation")
        verbose_name_plural = _("glossary")
        ordering = ["abbreviation"]

    def __str__(self):
        return f"{self.abbreviation}: {self.meaning}"

    def get_absolute_url(self):
        return reverse("documents:glossary") + f"#{self.abbreviation}"


def original_file_visibility(name, user):
    """For the media view: a document's original file goes with the document's page (None when
    ``name`` is no document's file)."""
    if not Document.objects.filter(original_file=name).exists():
        return None
    return Document.objects.visible_to(user).filter(original_file=name).exists()
