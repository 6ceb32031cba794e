"""The search migrations move a PostgreSQL database that has data: from the schema of the first
PostgreSQL search (a ``search_vector`` column beside the ORM) to ``core.models.Searchable``."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.richtext import fold, html_to_text
from core.search import search
from tests.factories import make_user
from tests.site_data import import_samples

pytestmark = pytest.mark.django_db(transaction=True)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the legacy search column and the generated vector exist on PostgreSQL only",
)

# The latest migrations before search went through django.contrib.postgres.
BEFORE = [
    ("bulletin", "0004_issue_content_changed_at"),
    ("documents", "0003_glossary"),
    ("news", "0003_photo_renditions"),
]
TABLES = ["bulletin_entry", "documents_document", "news_newsitem"]


def columns(table):
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def indexes(table):
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def write_search_text_as_before(apps):
    """The folded ``search_text`` exactly as the models computed it before this change
    (punctuation kept), so the migration has to recompute it."""
    for name in ("bulletin.Entry", "news.NewsItem"):
        model = apps.get_model(name)
        for row in model.objects.all():
            row.search_text = fold(f"{row.title} {html_to_text(row.body)}")
            row.save(update_fields=["search_text"])
    document_model = apps.get_model("documents.Document")
    for row in document_model.objects.select_related("issuer"):
        parts = [row.get_doc_type_display(), row.number, row.subject, row.signer]
        if row.issuer_id:
            parts.append(row.issuer.name)
        row.search_text = fold(" ".join(parts))
        row.save(update_fields=["search_text"])


@postgresql_only
def test_a_database_with_data_moves_to_the_new_search_columns():
    # Today's code can only write through today's models: import the samples, then take the
    # schema back to the legacy search with the rows in it.
    import_samples()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    for table in TABLES:
        assert "search_vector" in columns(table)
        assert "search_title" not in columns(table)
        assert f"{table}_fts" in indexes(table)
    old_apps = executor.loader.project_state(BEFORE).apps
    write_search_text_as_before(old_apps)
    # A row added on the legacy schema, as the importer of then would have written it.
    old_entry = old_apps.get_model("bulletin.Entry")
    section = old_entry.objects.filter(kind="news").first()
    title = "Hướng dẫn nghiên cứu, học tập chuyên đề năm 2024"
    old_entry.objects.create(
        issue_id=section.issue_id,
        position=99,
        kind="article",
        title=title,
        body="<p>Các chi bộ tổ chức học tập trong quý III.</p>",
        search_text=fold(f"{title} Các chi bộ tổ chức học tập trong quý III."),
    )

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    for table in TABLES:
        assert {"search_title", "search_text", "search_original", "search_vector"} <= columns(table)
        assert {f"{table}_vector", f"{table}_trigram"} <= indexes(table)
        assert not {f"{table}_fts", f"{table}_trgm"} & indexes(table)
    from bulletin.models import Entry

    assert not Entry.objects.filter(search_vector__isnull=True).exists()
    assert Entry.objects.get(position=99).search_text == (
        "huong dan nghien cuu hoc tap chuyen de nam 2024 cac chi bo to chuc hoc tap trong quy iii"
    )
    member = make_user()  # logged in: the members-only sample is visible too
    found = search("huong dan hoc tap chuyen de", member)
    assert found.results and found.results[0].title == title
    directive = search("Chỉ thị 29", member)
    assert "Chỉ thị số 29-CT/TU" in directive.results[0].title
    assert any(r.kind == "document" for r in directive)
    news = search('"huy hieu dang"', member)
    assert news.results and all("huy hiệu đảng" in r.title.lower() for r in news.results[:2])


def test_existing_rows_get_their_search_columns_on_any_database():
    # The same migrations on SQLite: the vector and its indexes are no-ops there, the columns
    # are filled all the same.
    import_samples()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    write_search_text_as_before(executor.loader.project_state(BEFORE).apps)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from documents.models import Document

    directive = Document.objects.get(number="29-CT/TU")
    assert directive.search_title.startswith("chi thi so 29 ct tu ngay 06 02 2024")
    assert "chỉ thị" in directive.search_original
    results = search("chỉ thị 29", make_user())
    assert "Chỉ thị số 29-CT/TU" in results.results[0].title
