"""Bulk creation of member accounts from a CSV file: full name, email, party cell and, optional,
the short name of the party cell's committee (``huyen-uy-hoa-an``).

The whole file is checked first; one bad row and nothing is imported, and every problem is
reported with its line number. Each new member is put in the "Đảng viên" group and emailed a link
to set their password (the same token link as the password reset).
"""

import csv
import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from bulletin.models import Committee
from core.roles import Role

from .models import Profile
from .tasks import send_welcome_emails

MAX_ROWS = 5000
HEADER_WORDS = {"email", "e-mail", "thư điện tử", "họ và tên", "họ tên", "full name", "name"}


@dataclass
class Row:
    line: int
    full_name: str
    email: str
    party_cell: str
    committee: object = None


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def _decode(data):
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8”.")
        ) from error


def parse(data, committees=None):
    """The rows of the file and the problems found, each with its line number.

    ``committees`` are those a row may name in its fourth column (by slug; default: all); a row
    without one gets None, for the caller's default."""
    if committees is None:
        committees = Committee.objects.all()
    allowed = {committee.slug: committee for committee in committees}
    text = _decode(data)
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows, errors = [], []
    try:
        records = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        return [], [_("The file is not a valid CSV file: %(error)s") % {"error": error}]
    has_header = bool(records) and any(cell.strip().lower() in HEADER_WORDS for cell in records[0])
    if len(records) - has_header > MAX_ROWS:
        return [], [_("The file has more than %(max)d members.") % {"max": MAX_ROWS}]
    seen = {}
    existing = {
        e.lower()
        for e in get_user_model().objects.exclude(email="").values_list("email", flat=True)
    }
    for line, record in enumerate(records, start=1):
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue
        if line == 1 and has_header:
            continue
        cells += [""] * (4 - len(cells))
        full_name, email, party_cell, slug = cells[:4]
        committee = None
        problems = []
        if not full_name:
            problems.append(_("the full name is missing"))
        if not email:
            problems.append(_("the email is missing"))
        else:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("“%(email)s” is not a valid email") % {"email": email})
            else:
                key = email.lower()
                if key in seen:
                    problems.append(
                        _("%(email)s is already on line %(line)d")
                        % {"email": email, "line": seen[key]}
                    )
                elif key in existing:
                    problems.append(_("%(email)s already has an account") % {"email": email})
                seen.setdefault(key, line)
        if slug:
            committee = allowed.get(slug.lower())
            if committee is None:
                problems.append(
                    _("“%(slug)s” is not the short name of a committee you may add members to")
                    % {"slug": slug}
                )
        if len(cells) > 4 and any(cells[4:]):
            problems.append(_("there are more than four columns"))
        if problems:
            errors.append(
                _("Line %(line)d: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}
            )
        else:
            rows.append(Row(line, full_name, email, party_cell, committee))
    if not rows and not errors:
        errors.append(_("The file holds no member."))
    return rows, errors


def _username(email, taken):
    base = email.split("@")[0].lower()[:140] or "member"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    taken.add(candidate)
    return candidate


def import_members(
    data, *, request=None, domain_override=None, use_https=False, committees=None, default=None
):
    """Create the accounts of a CSV file, all or nothing, and email each a set-password link.

    Members join the committee their row names (one of ``committees``, default: any), else
    ``default`` (default: the default committee)."""
    report = ImportReport()
    try:
        rows, report.errors = parse(data, committees)
    except ValidationError as error:
        report.errors = list(error.messages)
        return report
    if report.errors:
        return report
    User = get_user_model()
    group = Group.objects.get(name=Role.MEMBER)
    taken = set(User.objects.values_list("username", flat=True))
    default = default or Committee.objects.default()
    with transaction.atomic():
        for row in rows:
            user = User(username=_username(row.email, taken), email=row.email)
            parts = row.full_name.rsplit(" ", 1)
            user.first_name = parts[-1][:150]
            user.last_name = parts[0][:150] if len(parts) > 1 else ""
            user.set_unusable_password()
            user.save()
            user.groups.add(group)
            Profile.objects.create(
                user=user,
                full_name=row.full_name,
                party_cell=row.party_cell,
                committee=row.committee or default,
            )
            report.created.append(user)
    if request is not None and domain_override is None:
        domain_override, use_https = request.get_host(), request.is_secure()
    elif domain_override is None:
        site = urlsplit(settings.SITE_URL)
        domain_override, use_https = site.netloc, site.scheme == "https"
    send_welcome_emails.enqueue([user.pk for user in report.created], domain_override, use_https)
    return report
