from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from .forms import MemberImportForm
from .importer import import_members
from .models import Profile

# Strings of Django's user admin (new in Django 5.1) that its Vietnamese catalog lacks: staff
# creating member accounts saw them in English. Named here so that makemessages keeps ours.
DJANGO_USER_ADMIN_STRINGS = [
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, "
        "they may still be able to authenticate using other backends, such as Single Sign-On "
        "or LDAP."
    ),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Set password"),
    gettext_noop("Reset password"),
    gettext_noop("Set password: %s"),
    gettext_noop("Conflicting form data submitted. Please try again."),
    gettext_noop(
        "This action will <strong>enable</strong> password-based authentication for this user."
    ),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
]

# django-axes (the login lockouts) and django-tasks-db (the PDF queue) have no Vietnamese
# catalog: a superuser saw their admin pages in English.
THIRD_PARTY_ADMIN_STRINGS = [
    gettext_noop("Access Attempt"),
    gettext_noop("Access lock out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("GET Data"),
    gettext_noop("IP Address"),
    gettext_noop("Locked Out"),
    gettext_noop("Logout Time"),
    gettext_noop("Meta Data"),
    gettext_noop("Not set"),
    gettext_noop("POST Data"),
    gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("User Agent"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("args kwargs"),
    gettext_noop("backend name"),
    gettext_noop("enqueued at"),
    gettext_noop("exception class path"),
    gettext_noop("finished at"),
    gettext_noop("priority"),
    gettext_noop("queue name"),
    gettext_noop("return value"),
    gettext_noop("run after"),
    gettext_noop("started at"),
    gettext_noop("task path"),
    gettext_noop("traceback"),
    gettext_noop("worker id"),
]


class MemberImportMixin:
    """A page of the admin to create member accounts in bulk from a CSV file."""

    change_list_template = "members/admin/change_list_with_import.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_add_permission(request):
            extra_context["import_url"] = reverse("admin:members_profile_import")
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not (
            request.user.has_perm("auth.add_user") and request.user.has_perm("members.add_profile")
        ):
            return redirect("admin:index")
        errors = []
        if request.method == "POST":
            form = MemberImportForm(request.POST, request.FILES)
            if form.is_valid():
                report = import_members(
                    form.cleaned_data["file"], request=request, use_https=request.is_secure()
                )
                if report.ok:
                    messages.success(
                        request,
                        _("%(count)d member accounts created; each was emailed a link.")
                        % {"count": len(report.created)},
                    )
                    return redirect("admin:members_profile_changelist")
                errors = report.errors
        else:
            form = MemberImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": Profile._meta,
            "title": _("Import members from a CSV file"),
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "members/admin/import.html", context)


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    verbose_name_plural = gettext_lazy("member profile")


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class MemberUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    change_list_template = "members/admin/change_list_with_import.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["import_url"] = reverse("admin:members_profile_import")
        return super().changelist_view(request, extra_context)


@admin.register(Profile)
class ProfileAdmin(MemberImportMixin, admin.ModelAdmin):
    list_display = ["full_name", "user", "party_cell"]
    list_filter = ["party_cell"]
    search_fields = ["full_name", "user__email", "party_cell"]
