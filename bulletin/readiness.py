"""What an issue still lacks before it is published: shown to the leader, who confirms.

Nothing here forbids publishing (a photo may never come, a section may be left short on
purpose); it only makes sure whoever publishes knows.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.richtext import html_to_text

from .models import EntryKind


@dataclass(frozen=True)
class Gap:
    """One thing missing, named the way the editor sees it in the admin."""

    message: str
    url: str = ""


def publication_gaps(issue, site="admin"):
    """The captions still waiting for their photo and the items with no content, in the
    order of the issue."""
    gaps = []
    entries = issue.entries.order_by("position", "pk").prefetch_related("news_items__photos")
    if not entries:
        gaps.append(Gap(_("The issue has no contents entry.")))
    for number, entry in enumerate(entries, start=1):
        url = reverse(f"{site}:bulletin_entry_change", args=[entry.pk])
        news_items = list(entry.news_items.all())
        if entry.kind == EntryKind.NEWS:
            if not news_items:
                gaps.append(
                    Gap(
                        _("%(number)d. %(title)s: the news section has no news item.")
                        % {"number": number, "title": entry.title},
                        url,
                    )
                )
        elif not html_to_text(entry.body):
            gaps.append(
                Gap(
                    _("%(number)d. %(title)s: the item has no text.")
                    % {"number": number, "title": entry.title},
                    url,
                )
            )
        for sub, item in enumerate(news_items, start=1):
            item_url = reverse(f"{site}:news_newsitem_change", args=[item.pk])
            for photo in item.photos.all():
                if photo.needs_image:
                    gaps.append(
                        Gap(
                            _(
                                "%(number)d.%(sub)d. %(title)s: the caption “%(caption)s” is still "
                                "waiting for its photo."
                            )
                            % {
                                "number": number,
                                "sub": sub,
                                "title": item.title,
                                "caption": photo.caption,
                            },
                            item_url,
                        )
                    )
    return gaps
