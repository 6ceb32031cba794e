from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.roles import Role

MAX_CSV_BYTES = 2 * 1024 * 1024


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Three columns: full name, email, party cell (chi bộ), and a fourth, optional: the "
            "short name of the cell's committee (e.g. huyen-uy-hoa-an; without it, your "
            "committee). UTF-8, with or without a header line. Each new member receives an "
            "email with a link to set a password."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is too large (2 MB at most)."))
        data = upload.read()
        # A workbook renamed .csv was refused as "not UTF-8 text", which sent staff looking for an
        # encoding option: name what the file is and how to get a CSV from it.
        if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            raise forms.ValidationError(
                _(
                    "This is a spreadsheet workbook (Excel .xlsx or .xls), not a CSV file. "
                    "Open it and save it as “CSV UTF-8”, then send that file."
                )
            )
        return data


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's "forgot password" form, which also answers imported members who never set their
    password. Django skips accounts without a usable password, and an imported member has none
    until they open the welcome link: once that link had expired (three days), "Quên mật khẩu?"
    said a link was on its way and sent nothing, and the member could never get in."""

    def get_users(self, email):
        yield from super().get_users(email)
        waiting = get_user_model()._default_manager.filter(
            email__iexact=email,
            is_active=True,
            last_login__isnull=True,
            profile__isnull=False,
            groups__name=Role.MEMBER,
        )
        for user in waiting:
            if not user.has_usable_password():
                yield user


class _SetPasswordForm(auth_forms.PasswordResetForm):
    def get_users(self, email):
        # New accounts have no usable password yet: the stock form would skip them.
        return [self.user]


def send_set_password_email(user, *, domain, use_https):
    form = _SetPasswordForm({"email": user.email})
    form.user = user
    form.is_valid()
    form.save(
        domain_override=domain,
        use_https=use_https,
        subject_template_name="registration/welcome_subject.txt",
        email_template_name="registration/welcome_email.txt",
    )
