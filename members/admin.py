from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from bulletin.models import Committee, Issue

from . import readership
from .forms import MemberImportForm
from .importer import import_members
from .models import Profile, Reading

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
                # Staff add members to the committees they work on; superusers to any.
                committees = Committee.objects.all()
                if not request.user.is_superuser:
                    committees = Committee.objects.staffed_by(request.user)
                report = import_members(
                    form.cleaned_data["file"],
                    request=request,
                    use_https=request.is_secure(),
                    committees=committees,
                    default=committees.order_by("pk").first(),
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


@admin.register(Reading)
class ReadershipAdmin(admin.ModelAdmin):
    """Readership by party cell, for the board (``members.view_readership``).

    Not a list of Reading rows: who read what is never shown, only counts by cell. The list
    page is the readership report, with a month-by-month chart per cell and a CSV export; the
    add, change, delete and history pages refuse everyone.
    """

    def has_module_permission(self, request):
        return request.user.has_perm("members.view_readership")

    def has_view_permission(self, request, obj=None):
        return obj is None and request.user.has_perm("members.view_readership")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("", view(self.report_view), name="{}_{}_changelist".format(*info)),
            path("export.csv", view(self.csv_view), name="{}_{}_export".format(*info)),
            # The add, change and delete pages remain, and answer 403 to everyone.
            *super().get_urls(),
        ]

    def _check(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def _chosen_issue(self, request, issues):
        wanted = request.GET.get("issue", "")
        if wanted:
            for issue in issues:
                if str(issue.pk) == wanted:
                    return issue
            messages.warning(
                request, _("There is no published issue with that number; showing the latest.")
            )
        return issues[-1] if issues else None

    def report_view(self, request):
        self._check(request)
        issues = readership.recent_issues(issues=Issue.objects.overseen_by(request.user))
        issue = self._chosen_issue(request, issues)
        cells = readership.readership_by_cell(issue) if issue else []
        charts = [
            (cell, mark_safe(readership.chart_svg(cell, points)))  # built with ElementTree
            for cell, points in readership.monthly_by_cell(issues).items()
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Readership by party cell"),
            "issues": issues[::-1],
            "issue": issue,
            "cells": cells,
            "charts": charts,
            "export_url": reverse("admin:members_reading_export"),
        }
        return TemplateResponse(request, "members/admin/readership.html", context)

    def csv_view(self, request):
        self._check(request)
        # The issues of the committees the reviewer works on, and of those below them.
        issues = readership.recent_issues(issues=Issue.objects.overseen_by(request.user))
        response = HttpResponse(readership.csv_text(issues), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="readership-by-party-cell.csv"'
        return response
