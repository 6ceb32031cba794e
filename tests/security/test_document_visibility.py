"""Who can reach a registry document (its page and its original file) follows what is visible
now: the summaries a reader may see, and the documents those summaries cite in their current
text. Nothing a past edit once made visible stays visible."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import Client
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from bulletin.models import EntryKind, Issue, Status, Visibility
from documents.models import Document, DocumentType
from tests.factories import make_document, make_entry, make_issue, make_user

pytestmark = pytest.mark.django_db

# The documents of the little world; each has an original file.
NUMBERS = ["11-CT/TU", "22-CT/TU", "33-CT/TU", "44-CT/TU"]


def citation_sentence(document):
    """How a summary cites another document in its text."""
    return (
        f"<p>Thực hiện Chỉ thị số {document.number}, ngày {document.issued_on:%d/%m/%Y} "
        f"của Ban Thường vụ Thành ủy.</p>"
    )


def make_documents():
    documents = []
    for number in NUMBERS:
        document = make_document(
            doc_type=DocumentType.DIRECTIVE,
            number=number,
            issued_on=datetime.date(2024, 3, 1),
            subject=f"văn bản {number}",
        )
        document.original_file.save(f"{number.replace('/', '-')}.pdf", ContentFile(b"%PDF-1.4"))
        documents.append(document)
    return documents


def summary(issue, document, cited=()):
    return make_entry(
        issue,
        kind=EntryKind.DOCUMENT,
        document=document,
        title=f"Chỉ thị số {document.number}",
        body="<p>Tóm tắt.</p>" + "".join(citation_sentence(d) for d in cited),
    )


def reachable(client, document):
    """What the visitor gets on the document's page and its original file."""
    page = client.get(document.get_absolute_url())
    file = client.get(settings.MEDIA_URL + document.original_file.name)
    return page.status_code, file.status_code


def test_a_citation_removed_from_a_public_summary_no_longer_makes_the_document_public(client):
    internal_only, public_doc = make_documents()[:2]
    draft = make_issue(year=2024, month=7, visibility=Visibility.MEMBERS)
    summary(draft, internal_only)
    public = make_issue(
        year=2024,
        month=5,
        visibility=Visibility.PUBLIC,
        status=Status.PUBLISHED,
        published_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC),
    )
    entry = summary(public, public_doc, cited=[internal_only])
    # Cited by the public text, the document's page answers: the text names it and links to it.
    assert reachable(client, internal_only) == (200, 200)

    entry.body = "<p>Tóm tắt.</p>"
    entry.save()

    assert reachable(client, internal_only) == (302, 302)
    assert reachable(client, public_doc) == (200, 200)


def test_a_members_only_summary_does_not_make_what_it_cites_public(client):
    """The same document summarised in a public and in a members-only issue: what the
    members-only summary cites stays for members."""
    shared, cited_inside = make_documents()[:2]
    published_at = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
    public = make_issue(
        year=2024, month=5, visibility="public", status="published", published_at=published_at
    )
    internal = make_issue(
        year=2024, month=6, visibility="members", status="published", published_at=published_at
    )
    summary(public, shared)
    summary(internal, shared, cited=[cited_inside])

    assert reachable(client, shared) == (200, 200)
    assert reachable(client, cited_inside) == (302, 302)
    member = Client()
    member.force_login(make_user())
    assert reachable(member, cited_inside) == (200, 200)


# The property: any sequence of edits, publications, withdrawals and visibility changes ------

ISSUES = 3
ENTRIES_PER_ISSUE = 2

operations = st.one_of(
    st.tuples(
        st.just("cite"),
        st.integers(0, ISSUES * ENTRIES_PER_ISSUE - 1),
        st.integers(0, len(NUMBERS) - 1),
    ),
    st.tuples(
        st.just("uncite"),
        st.integers(0, ISSUES * ENTRIES_PER_ISSUE - 1),
        st.integers(0, len(NUMBERS) - 1),
    ),
    st.tuples(
        st.just("summarise"),
        st.integers(0, ISSUES * ENTRIES_PER_ISSUE - 1),
        st.integers(0, len(NUMBERS) - 1),
    ),
    st.tuples(st.just("publish"), st.integers(0, ISSUES - 1)),
    st.tuples(st.just("schedule"), st.integers(0, ISSUES - 1)),
    st.tuples(st.just("withdraw"), st.integers(0, ISSUES - 1)),
    st.tuples(st.just("visibility"), st.integers(0, ISSUES - 1), st.sampled_from(Visibility)),
    st.tuples(st.just("delete"), st.integers(0, ISSUES * ENTRIES_PER_ISSUE - 1)),
)


class World:
    """The site's objects and, beside them, the test's own record of what each summary says."""

    def __init__(self):
        self.leader = make_user(is_staff=True, is_superuser=True)
        self.documents = make_documents()
        self.issues = [make_issue(year=2024, month=month) for month in range(1, ISSUES + 1)]
        self.entries = []  # [entry or None (deleted)]
        self.summarised = []  # index of the summarised document, per entry
        self.cited = []  # set of indexes of the documents cited in its text, per entry
        for index, issue in enumerate(self.issues):
            for slot in range(ENTRIES_PER_ISSUE):
                document_index = (index + slot) % len(NUMBERS)
                self.entries.append(summary(issue, self.documents[document_index]))
                self.summarised.append(document_index)
                self.cited.append(set())

    def rewrite(self, position):
        entry = self.entries[position]
        entry.document = self.documents[self.summarised[position]]
        entry.body = "<p>Tóm tắt.</p>" + "".join(
            citation_sentence(self.documents[i]) for i in sorted(self.cited[position])
        )
        entry.save()

    def apply(self, operation):
        name, *arguments = operation
        if name in ("cite", "uncite", "summarise", "delete"):
            position = arguments[0]
            if self.entries[position] is None:
                return
            if name == "delete":
                self.entries[position].delete()
                self.entries[position] = None
                return
            if name == "cite":
                self.cited[position].add(arguments[1])
            elif name == "uncite":
                self.cited[position].discard(arguments[1])
            else:
                self.summarised[position] = arguments[1]
            self.rewrite(position)
            return
        issue = Issue.objects.get(pk=self.issues[arguments[0]].pk)
        if name in ("publish", "schedule"):
            if issue.status == Status.WITHDRAWN:
                issue.reopen(self.leader)
            if issue.status == Status.DRAFT:
                issue.submit(self.leader)
            if issue.status == Status.IN_REVIEW:
                issue.approve(self.leader)
            if issue.status == Status.APPROVED:
                later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30)
                issue.publish(self.leader, at=later if name == "schedule" else None)
        elif name == "withdraw" and issue.status == Status.PUBLISHED:
            issue.withdraw(self.leader)
        elif name == "visibility":
            issue.visibility = arguments[1]
            issue.save()

    def expected(self, member):
        """From scratch: the issues the reader sees, then the summaries in them, then the
        documents those summaries name or cite."""
        now = datetime.datetime.now(datetime.UTC)
        seen_issues = {
            issue.pk
            for issue in Issue.objects.all()
            if issue.status == Status.PUBLISHED
            and issue.published_at <= now
            and (member or issue.visibility == Visibility.PUBLIC)
        }
        reachable_documents = set()
        for position, entry in enumerate(self.entries):
            if entry is not None and entry.issue_id in seen_issues:
                reachable_documents.add(self.summarised[position])
                reachable_documents |= self.cited[position]
        return {self.documents[i].number for i in reachable_documents}


class DocumentVisibilityProperty(TestCase):
    @given(st.lists(operations, max_size=12))
    @example(
        [("publish", 0), ("visibility", 0, Visibility.PUBLIC), ("cite", 0, 3), ("uncite", 0, 3)]
    )
    @hypothesis_settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    def test_reachable_documents_equal_a_computation_from_scratch(self, steps):
        world = World()
        member_user = make_user()
        for step in steps:
            world.apply(step)
            for user, member in ((AnonymousUser(), False), (member_user, True)):
                visible = set(Document.objects.visible_to(user).values_list("number", flat=True))
                assert visible == world.expected(member), (step, member)

        anonymous, member = Client(), Client()
        member.force_login(member_user)
        for client, is_member in ((anonymous, False), (member, True)):
            expected = world.expected(is_member)
            for document in world.documents:
                if document.number in expected:
                    assert reachable(client, document) == (200, 200), document.number
                else:
                    denied = 302 if not is_member else 404
                    assert reachable(client, document) == (denied, denied), document.number
