from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.richtext import html_to_text

from .models import Issue
from .views import recent_news


class LatestFeed(Feed):
    """Public issues and their news, as anyone may see them: never what a member sees."""

    feed_type = Atom1Feed
    title = _("Bulletin of the Propaganda Board")
    link = reverse_lazy("bulletin:home")

    def subtitle(self):
        """Says what the feed holds and what it leaves out: an empty feed must not read as
        "nothing published" when the issues are for members."""
        withheld = Issue.objects.withheld_from(AnonymousUser()).count()
        text = str(_("Public issues and their news."))
        if withheld:
            text += " " + ngettext(
                "%(count)d issue for party members is not in this feed: log in on the site "
                "to read it.",
                "%(count)d issues for party members are not in this feed: log in on the site "
                "to read them.",
                withheld,
            ) % {"count": withheld}
        return text

    def author_name(self):
        # Atom (RFC 4287, 4.1.1) requires an author on the feed when its entries name none:
        # without one, feed validators and some readers refuse the feed.
        return f"{settings.BULLETIN_BOARD}, {settings.BULLETIN_COMMITTEE}"

    def items(self):
        anonymous = AnonymousUser()
        issues = list(Issue.objects.visible_to(anonymous).order_by("-published_at")[:12])
        return issues + recent_news(anonymous, 30)

    def item_title(self, item):
        return str(item)

    def item_description(self, item):
        if isinstance(item, Issue):
            return item.month_label
        return html_to_text(item.body)[:500]

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        issue = item if isinstance(item, Issue) else item.owning_issue
        return issue.published_at
