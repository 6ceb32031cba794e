"""The admin page "Import a bulletin": upload a printed issue, get a draft issue."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.calendar import FIRST_YEAR, LAST_YEAR

from .importing import ImportRefused, import_into_draft
from .importing.reading import needs_recognition
from .models import Committee, ScanImport
from .tasks import import_scan

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


# The import page laid out like the other admin forms.
IMPORT_FIELDSETS = [
    (None, {"fields": ["committee", "file"]}),
    (
        _("Month of the issue"),
        {
            "fields": ["month", "year"],
            "description": _(
                "Leave empty when the cover prints the month; otherwise choose it. The report "
                "warns when the dates of the news do not fit the month."
            ),
        },
    ),
    (_("An issue already imported"), {"fields": ["replace"]}),
]


def date_warnings(issue):
    """The news items whose date does not fit the issue's month. An issue reports the activity
    of its own month and of the month before it (the samples' news are of the previous month),
    so a date outside those two months says the month chosen, or the date read, is wrong."""
    first = datetime.date(issue.year, issue.month, 1)
    earliest = (first - datetime.timedelta(days=1)).replace(day=1)
    latest = datetime.date(issue.year + issue.month // 12, issue.month % 12 + 1, 1)
    warnings = []
    for entry in issue.entries.order_by("position"):
        for item in entry.news_items.order_by("position", "pk"):
            date = item.event_date
            if date is not None and not earliest <= date < latest:
                warnings.append(
                    gettext(
                        "“%(title)s” is dated %(date)s, outside %(month)d/%(year)d and the month "
                        "before it: check the month of the issue."
                    )
                    % {
                        "title": item.title,
                        "date": formats.date_format(date, "d/m/Y"),
                        "month": issue.month,
                        "year": issue.year,
                    }
                )
    return warnings


def import_issue(request, model_admin):
    """Show the upload form; after an import, show the import report with links to the items."""
    if not request.user.has_perm("bulletin.add_issue"):
        raise PermissionDenied
    site = model_admin.admin_site.name
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            if needs_recognition(data, filename=upload.name):
                _queue_scan(request, form, upload.name, data)
                return redirect(reverse(f"{site}:bulletin_issue_import"))
            result = import_into_draft(
                data,
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
        "adminform": helpers.AdminForm(form, IMPORT_FIELDSETS, {}),
        "report": request.session.pop(REPORT_SESSION_KEY, None) if not request.POST else None,
        "has_view_permission": model_admin.has_view_permission(request),
        "scan_imports": ScanImport.objects.filter(requested_by=request.user).select_related(
            "issue"
        )[:5],
    }
    return TemplateResponse(request, "admin/bulletin/import_form.html", context)


def _queue_scan(request, form, filename, data):
    """Keep the upload and read it in the background: recognition takes seconds a page."""
    with transaction.atomic():
        scan_import = ScanImport(
            filename=filename,
            month=form.cleaned_data["month"],
            year=form.cleaned_data["year"],
            replace=form.cleaned_data["replace"],
            requested_by=request.user,
        )
        scan_import.upload.save(filename, ContentFile(data), save=False)
        scan_import.save()
        transaction.on_commit(lambda: import_scan.enqueue(scan_import.pk))
    messages.info(
        request,
        gettext(
            "“%(name)s” is a scan: it is being read by text recognition, which takes a few "
            "seconds a page. The draft appears below and in the list of issues when it is "
            "ready, marked “needs review”."
        )
        % {"name": filename},
    )


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
        "date_warnings": date_warnings(result.issue),
    }
