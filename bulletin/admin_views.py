"""The admin page "Import a bulletin": upload a printed issue, get a draft issue."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.calendar import FIRST_YEAR, LAST_YEAR

from .importer import BulletinImportError, import_bulletin

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".txt,.md,.markdown,.docx,.pdf,.png,.jpg,.jpeg,.tif,.tiff"}
        ),
        help_text=_(
            "The printed issue: a .txt or .md file in UTF-8, a Word .docx file, a PDF with "
            "its text, or a scan (PDF or PNG, JPEG, TIFF pictures) to be read by text "
            "recognition."
        ),
    )
    month = forms.IntegerField(
        label=_("Month"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("Only needed when the cover does not print “Tháng … năm …”."),
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )
    replace = forms.BooleanField(
        label=_("Replace the issue of that month"),
        required=False,
        help_text=_(
            "Deletes the existing issue of that month and its contents before importing; only "
            "a draft can be replaced. Documents in the registry are kept."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


def import_issue(request, model_admin):
    """Show the upload form; on success redirect to the new draft's change page."""
    if not request.user.has_perm("bulletin.add_issue"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_bulletin(
                upload.read(),
                filename=upload.name,
                month=form.cleaned_data["month"],
                year=form.cleaned_data["year"],
                replace=form.cleaned_data["replace"],
                user=request.user,
            )
        except BulletinImportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                gettext("Imported “%(issue)s” as a draft: %(summary)s.")
                % {"issue": result.issue, "summary": result.summary()},
            )
            return redirect(
                reverse(
                    f"{model_admin.admin_site.name}:bulletin_issue_change",
                    args=[result.issue.pk],
                )
            )
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Import a bulletin"),
        "opts": opts,
        "app_label": opts.app_label,
        "form": form,
        "has_view_permission": model_admin.has_view_permission(request),
    }
    return TemplateResponse(request, "admin/bulletin/import_form.html", context)
