from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("ckeditor5/", include("django_ckeditor_5.urls")),
    path("", include("django.contrib.auth.urls")),
    path("", include("bulletin.urls")),
    path("documents/", include("documents.urls")),
    path("news/", include("news.urls")),
]

admin.site.site_header = "Bản tin: Ban Tuyên giáo"
admin.site.site_title = "Bản tin"
