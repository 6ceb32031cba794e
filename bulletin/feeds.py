from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.richtext import html_to_text

from .models import Committee, Issue
from .views import recent_news


class LatestFeed(Feed):
    """One committee's public issues and their news, as anyone may see them: never what a
    member sees."""

    feed_type = Atom1Feed

    def get_object(self, request, committee):
        return get_object_or_404(Committee, slug=committee)

    def title(self, committee):
        return f"{_('Bulletin of the Propaganda Board')}: {committee.board}, {committee.name}"

    def link(self, committee):
        return committee.get_absolute_url()

    def subtitle(self, committee):
        """Says what the feed holds and what it leaves out: an empty feed must not read as
        "nothing published" when the issues are for members."""
        withheld = Issue.objects.filter(committee=committee).withheld_from(AnonymousUser()).count()
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

    def author_name(self, committee):
        # Atom (RFC 4287, 4.1.1) requires an author on the feed when its entries name none:
        # without one, feed validators and some readers refuse the feed.
        return f"{committee.board}, {committee.name}"

    def items(self, committee):
        anonymous = AnonymousUser()
        issues = list(
            Issue.objects.visible_to(anonymous)
            .filter(committee=committee)
            .select_related("committee")
            .order_by("-published_at")[:12]
        )
        return issues + recent_news(anonymous, 30, committee=committee)

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
