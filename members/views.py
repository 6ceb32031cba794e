from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import ngettext_lazy

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


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
