from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import ngettext_lazy
from django.views import csrf

from .forms import PasswordResetForm

# Django 5.2 asks for this message with "%d"; its Vietnamese catalog still has the older
# "%(min_length)d" wording, so a too-short password was refused in English. Named here so that
# makemessages keeps our translation.
DJANGO_AUTH_STRINGS = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    ),
]


class LogoutView(auth_views.LogoutView):
    """Django's logout, which only accepts POST (the button in the page header). A GET, from a
    typed or bookmarked /logout/, got an empty 405 that browsers show as an error page; it now
    gets a page with the button, or the home page for a visitor who is not logged in."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("bulletin:home")
        return TemplateResponse(request, "registration/logout_confirm.html")


def csrf_failure(request, reason=""):
    """Django's refusal of a form sent without a valid CSRF token (CSRF_FAILURE_VIEW), except for
    the header's logout button of a member whose browser could not fill the token in from the
    cookie (core/templatetags/csrf_cookie.py: no script, or no cookie): they get the logout
    page, whose button carries a token, instead of an error. It is still a refusal (403)."""
    if request.path == reverse("logout") and request.user.is_authenticated:
        return render(request, "registration/logout_confirm.html", status=403)
    return csrf.csrf_failure(request, reason)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
