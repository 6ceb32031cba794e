from django.views.generic import DetailView, ListView

from .models import NewsItem


class NewsViewMixin:
    def get_queryset(self):
        return NewsItem.objects.visible_to(self.request.user).select_related("section__issue")


class NewsListView(NewsViewMixin, ListView):
    paginate_by = 20
    template_name = "news/newsitem_list.html"


class NewsDetailView(NewsViewMixin, DetailView):
    template_name = "news/newsitem_detail.html"
