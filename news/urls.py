from django.urls import path

from core.pagecache import reader_page

from . import views

app_name = "news"

urlpatterns = [
    path("", reader_page(views.NewsListView.as_view(), params=("page",)), name="list"),
    path("<int:pk>/", reader_page(views.NewsDetailView.as_view()), name="detail"),
]
