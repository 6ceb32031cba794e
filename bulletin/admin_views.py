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

from .importing import ImportRefused, import_into_draft
from .models import Committee

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# The report of the last import, shown once on the import page after the redirect.
REPORT_SESSION_KEY = "bulletin_import_report"


class ImportForm(forms.Form):
    committee = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Committee.objects.none(),
        empty_label=None,
        required=False,
        help_text=_("The committee whose issue this is."),
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,.docx"}),
        help_text=_(
            "The text of the printed issue: a .txt or .md file in UTF-8, or a Word .docx file."
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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the committees the user works on: importing is writing an issue.
        committees = Committee.objects.all()
        if not user.is_superuser:
            committees = Committee.objects.staffed_by(user)
        self.fields["committee"].queryset = committees
        self.user = user

    def clean_committee(self):
        # Left out (a form without the choice, a script): the user's own committee.
        committee = self.cleaned_data["committee"]
        if committee is None:
            mine = Committee.objects.staffed_by(self.user).order_by("pk").first()
            committee = mine or (Committee.objects.default() if self.user.is_superuser else None)
        if committee is None:
            raise forms.ValidationError(
                _("You work for no committee: ask an administrator to add you to one.")
            )
        return committee

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


def import_issue(request, model_admin):
    """Show the upload form; after an import, show the import report with links to the items."""
    if not request.user.has_perm("bulletin.add_issue"):
        raise PermissionDenied
    site = model_admin.admin_site.name
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_into_draft(
                upload.read(),
                filename=upload.name,
                month=form.cleaned_data["month"],
                year=form.cleaned_data["year"],
                replace=form.cleaned_data["replace"],
                by=request.user,
                committee=form.cleaned_data["committee"],
            )
        except ImportRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                gettext("Imported “%(issue)s” as a draft: %(summary)s.")
                % {"issue": result.issue, "summary": result.summary()},
            )
            request.session[REPORT_SESSION_KEY] = _report(result, site)
            # Redirect after the POST, so reloading the page does not import the file again.
            return redirect(reverse(f"{site}:bulletin_issue_import"))
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Import a bulletin"),
        "opts": opts,
        "app_label": opts.app_label,
        "form": form,
        "report": request.session.pop(REPORT_SESSION_KEY, None) if not request.POST else None,
        "has_view_permission": model_admin.has_view_permission(request),
    }
    return TemplateResponse(request, "admin/bulletin/import_form.html", context)


def _report(result, site):
    """The import report as plain data for the session: each finding with its item's link."""
    entry_ids = result.entry_ids()
    findings = []
    for finding in result.findings:
        url = ""
        if finding.entry in entry_ids:
            url = reverse(f"{site}:bulletin_entry_change", args=[entry_ids[finding.entry]])
        findings.append(
            {
                "entry": finding.entry,
                "title": finding.title,
                "message": str(finding.message),
                "unsure": finding.unsure,
                "url": url,
            }
        )
    return {
        "issue": str(result.issue),
        "issue_url": reverse(f"{site}:bulletin_issue_change", args=[result.issue.pk]),
        "findings": findings,
    }
