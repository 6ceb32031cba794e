from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from bulletin.sitemaps import IssueSitemap
from core.health import healthz
from core.images import upload_view
from documents.sitemaps import DocumentSitemap
from members.views import LogoutView, PasswordResetView
from news.sitemaps import NewsSitemap

# Public content only: what an anonymous visitor may open, each app saying what it has.
sitemaps = {"issues": IssueSitemap, "news": NewsSitemap, "documents": DocumentSitemap}

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
    # CKEditor's image uploads go through our checks (core/images.py), not the package's view.
    path("ckeditor5/image_upload/", upload_view, name="ckeditor-image-upload"),
    # Before Django's auth URLs: a GET of /logout/ gets a page instead of an empty 405.
    path("logout/", LogoutView.as_view(), name="logout"),
    # Imported members who never set a password may ask for a new link (members/forms.py).
    path("password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("", include("core.urls")),
    path("documents/", include("documents.urls")),
    path("news/", include("news.urls")),
    # Last: the bulletin answers /<committee>/..., which must not shadow the paths above.
    path("", include("bulletin.urls")),
]

admin.site.site_header = "Bản tin: Ban Tuyên giáo"
admin.site.site_title = "Bản tin"
# The side menu took 300 px of a 1280 px screen and pushed list columns out of sight; the home
# page and the breadcrumbs lead everywhere it did.
admin.site.enable_nav_sidebar = False

# Error pages that never touch the database (see core/health.py).
handler500 = "core.health.server_error"
