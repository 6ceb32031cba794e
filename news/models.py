from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bulletin import photos as photo_slots
from bulletin.models import Issue, IssueContent
from core.models import Searchable
from core.richtext import SanitizedHTMLField, clean_html, html_to_text
from documents.linking import render_body

from . import renditions


class NewsItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """News follows its issue: visible exactly when the issue is."""
        return self.filter(section__issue__in=Issue.objects.visible_to(user))


class NewsItem(IssueContent, Searchable):
    """One item of an issue's "Tin hoạt động" section."""

    section = models.ForeignKey(
        "bulletin.Entry",
        verbose_name=_("news section"),
        on_delete=models.CASCADE,
        related_name="news_items",
        limit_choices_to={"kind": "news"},
    )
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    title = models.TextField(_("title"))
    event_date = models.DateField(_("event date"), null=True, blank=True)
    body = SanitizedHTMLField(_("text"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NewsItemQuerySet.as_manager()

    class Meta(Searchable.Meta):
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["section", "position", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        clean_html(self, "body")
        if self.pk:
            self._reconcile_photo_slots()
        self.body_html = render_body(self.body)
        self.set_search_text(self.title, html_to_text(self.body))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:detail", args=[self.pk])

    def _reconcile_photo_slots(self):
        """Keep the photo slots of the text in step with the photos (``bulletin.photos``): a
        caption whose slot mark an editor lost is its photo's slot again, and a photo still to
        come whose slot the editor deleted from the text is deleted with it."""
        captions = list(self.photos.values_list("caption", flat=True))
        restored = photo_slots.restore_slots(self.body, captions)
        if restored != self.body:
            self.body = restored
            clean_html(self, "body")
        before = NewsItem.objects.filter(pk=self.pk).values_list("body", flat=True).first()
        removed = set(photo_slots.removed_slot_keys(before or "", self.body))
        if removed:
            for photo in self.photos.filter(image=""):
                if photo_slots.caption_key(photo.caption) in removed:
                    photo.delete()

    def reconcile_photo_slots(self):
        """After its photos changed (the admin saves them after the item): mark the slots of
        captions that have just been added, without another version of the item."""
        captions = list(self.photos.values_list("caption", flat=True))
        restored = photo_slots.restore_slots(self.body, captions)
        if restored == self.body:
            return False
        self.body = restored
        clean_html(self, "body")
        self.body_html = render_body(self.body)
        NewsItem.objects.filter(pk=self.pk).update(body=self.body, body_html=self.body_html)
        return True

    @classmethod
    def rerender_derived(cls, glossary):
        """Re-render every news item's body (the ``refresh_derived`` command)."""
        changed = 0
        for item in cls.objects.iterator():
            html = render_body(item.body, glossary=glossary)
            if html != item.body_html:
                cls.objects.filter(pk=item.pk).update(body_html=html)
                changed += 1
        return changed

    @property
    def owning_issue(self):
        return self.section.issue if self.section_id else None


class Photo(IssueContent, models.Model):
    """A photo of a news item. Imported issues keep the caption and wait for the picture."""

    news_item = models.ForeignKey(
        NewsItem, verbose_name=_("news item"), on_delete=models.CASCADE, related_name="photos"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    image = models.ImageField(
        _("image"),
        upload_to="photos/%Y/%m/",
        blank=True,
        help_text=_("JPEG or PNG; large photos are reduced to 2000 pixels on the long side."),
    )
    caption = models.TextField(_("caption"))
    credit = models.CharField(_("credit"), max_length=255, blank=True)
    # Smaller copies for slow networks (news/renditions.py), and the image they were made from,
    # so they are made again only when the image changes. Like the originals, older copies stay
    # in the storage: a restored revision of the photo still finds its files.
    renditions = models.JSONField(default=list, blank=True, editable=False)
    renditions_of = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["news_item", "position", "pk"]

    def __str__(self):
        return self.caption[:80]

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            # Store the upload now (as the field would during the save) so that its
            # renditions are made and recorded in the same single save.
            self.image.save(self.image.name, self.image.file, save=False)
        current = self.image.name if self.image else ""
        if current != self.renditions_of:
            self.renditions = renditions.make_renditions(self.image) if current else []
            self.renditions_of = current
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "renditions", "renditions_of"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.news_item.get_absolute_url() + f"#photo-{self.pk}"

    def _url(self, name):
        return self.image.storage.url(name)

    @property
    def webp_srcset(self):
        return renditions.srcset(self.renditions, "webp", self._url)

    @property
    def jpeg_srcset(self):
        return renditions.srcset(self.renditions, "jpg", self._url)

    @property
    def fallback_image(self):
        """URL, width and height for the ``<img>`` element: a JPEG copy of reading size, or
        the original while no copy exists."""
        chosen = renditions.fallback(self.renditions)
        if chosen is None:
            return {"url": self.image.url, "width": None, "height": None}
        return {"url": self._url(chosen["name"]), **chosen}

    @property
    def thumbnail_url(self):
        """The smallest JPEG copy, for lists; the original while no copy exists."""
        jpegs = [r for r in self.renditions if r["ext"] == "jpg"]
        if not jpegs:
            return self.image.url
        return self._url(min(jpegs, key=lambda r: r["width"])["name"])

    @property
    def owning_issue(self):
        return self.news_item.section.issue if self.news_item_id else None

    @property
    def needs_image(self):
        return not self.image


def _photos_with_file(name):
    photos = Photo.objects.filter(image=name)
    stem = renditions.original_stem(name)
    if stem is None or photos.exists():
        return photos
    # A rendition: among the photos whose original has the same stem, those that list it.
    candidates = Photo.objects.filter(image__startswith=stem + ".").only("pk", "renditions")
    owners = [p.pk for p in candidates if any(r["name"] == name for r in p.renditions)]
    return Photo.objects.filter(pk__in=owners)


def photo_visibility(name, user):
    """For the media view: a photo, or a smaller copy of it, goes with its news item (None
    when ``name`` is neither)."""
    photos = _photos_with_file(name)
    if not photos.exists():
        return None
    return photos.filter(news_item__in=NewsItem.objects.visible_to(user)).exists()
