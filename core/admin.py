"""Admin building blocks every app's admin uses: versioned history with a comparison, and
read-only pages that show formatted text."""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import revisions
from .editing import FROZEN_MESSAGE
from .richtext import sanitize_html


class RevisionAdmin(VersionAdmin):
    """VersionAdmin with a history that compares two versions field by field."""

    object_history_template = "admin/revision_history.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{opts.app_label}_{opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def _versions(self, object_id):
        return Version.objects.get_for_object_reference(self.model, object_id).select_related(
            "revision__user"
        )

    def history_view(self, request, object_id, extra_context=None):
        opts = self.model._meta
        versions = [
            {
                "version": version,
                "url": reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                    args=[quote(version.object_id), version.pk],
                ),
            }
            for version in self._versions(unquote(object_id))
        ]
        context = {
            "compare_versions": versions,
            "compare_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_compare",
                args=[object_id],
            ),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def construct_change_message(self, request, form, formsets, add=False):
        """Django stores the changed fields' labels untranslated and translates them when the
        history is shown, looking up the capitalised label ("Heading"); our catalog holds the
        verbose names ("heading"), so the history read "Đã thay đổi Heading". Store the labels
        as the form showed them instead: this site speaks one language."""
        message = super().construct_change_message(request, form, formsets, add)
        labels = {}
        for each in [form, *(formset.forms[0] for formset in formsets or () if formset.forms)]:
            for field in each.fields.values():
                if field.label is not None:
                    with translation.override(None):
                        source = str(field.label)
                    labels.setdefault(source, str(field.label))
        for part in message:
            for details in part.values():
                if "fields" in details:
                    details["fields"] = [labels.get(label, label) for label in details["fields"]]
        return message

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # reversion writes the old version to the database before it builds the form, so the
        # form's own checks see the old row: an issue's old version is a draft, which would let
        # anyone "restore" a submitted or published issue back to draft, past the workflow.
        # Decide on the object as it is now.
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and not self.has_change_permission(request, obj):
            opts = self.model._meta
            if getattr(obj, "is_frozen", False):
                messages.error(request, FROZEN_MESSAGE)
            else:
                messages.error(request, _("You may not restore an older version of this."))
            return HttpResponseRedirect(
                reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                    args=[quote(obj.pk)],
                )
            )
        context = dict(extra_context or {})
        if obj is not None:
            context.setdefault("title", _("Restore %(object)s") % {"object": obj})
        return super().revision_view(request, object_id, version_id, context)

    def compare_view(self, request, object_id):
        object_id = unquote(object_id)
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = self._versions(object_id)
        try:
            older = versions.get(pk=int(request.GET.get("from", "")))
            newer = versions.get(pk=int(request.GET.get("to", "")))
        except (ValueError, Version.DoesNotExist):
            messages.error(request, _("Choose two versions to compare."))
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                    args=[quote(object_id)],
                )
            )
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "title": _("Changes to %(object)s") % {"object": obj},
            "older": older,
            "newer": newer,
            "rows": revisions.diff(self.model, older.field_dict, newer.field_dict),
        }
        return TemplateResponse(request, "admin/revision_compare.html", context)


class ReadableBodyMixin:
    """Read-only pages (a submitted issue, a reviewer's view) show the text formatted, not as
    HTML source."""

    def _read_only(self, request, obj):
        return obj is not None and not self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._read_only(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": [_display_name(f) for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "body_display"] if self._read_only(request, obj) else readonly

    @admin.display(description=_("text"))
    def body_display(self, obj):
        return mark_safe(sanitize_html(obj.body)) if obj and obj.pk else ""


def _display_name(field):
    return "body_display" if field == "body" else field
