"""The full-text index of the searchable rows on SQLite: one FTS5 table per ``Searchable`` model.

SQLite has no GIN index: matching query words with regular expressions over every row's
``search_text`` read the whole archive for each query (seconds on 20 years of issues). Each
searchable table gets an external-content FTS5 table over its three search columns
(``<table>_fts``, rowid = the row's primary key) and an ``fts5vocab`` table of its words
(``<table>_fts_words``) for typo correction.

Derived data computed when its source changes: the index is kept in step by triggers on the
table (insert, delete, update of a search column), so every write path follows, the ORM's
``save()``, ``bulk_create``, ``update()``, deletes and cascades alike. The index holds words
only: who may see a row is decided, as everywhere, by the ``visible_to(user)`` queryset that
the match is applied to (:class:`Matches`), so a withdrawn issue or a visibility change needs no
index update.

The index of each table is made (and filled) by a migration of the app that owns the table
(``index_operations``, a no-op on other databases: PostgreSQL has its generated
``search_vector``, see ``core.models``), so migrating backwards drops it before the columns it
reads. A later migration that alters a column makes SQLite copy the table, which loses its
triggers: after every ``migrate``, ``repair`` gives them back and rebuilds that index.
"""

from django.db import connections
from django.db.models import BooleanField, F, Func, Value

COLUMNS = ("search_title", "search_text", "search_original")
# The columns hold words already folded or lower-cased by ``core.search``: the tokenizer must
# keep diacritics, or "chỉ" in search_original would match "chi".
TOKENIZER = "unicode61 remove_diacritics 0"


def index_table(model):
    return f"{model._meta.db_table}_fts"


def words_table(model):
    return f"{model._meta.db_table}_fts_words"


def _triggers(model):
    table = model._meta.db_table
    pk = model._meta.pk.column
    index = index_table(model)
    columns = ", ".join(COLUMNS)
    new = ", ".join(f"new.{column}" for column in COLUMNS)
    old = ", ".join(f"old.{column}" for column in COLUMNS)
    # External content: the index is told the old values to forget ('delete') and the new
    # ones to learn.
    forget = f"INSERT INTO {index} ({index}, rowid, {columns}) VALUES ('delete', old.{pk}, {old});"
    learn = f"INSERT INTO {index} (rowid, {columns}) VALUES (new.{pk}, {new});"
    return {
        f"{index}_inserted": f"AFTER INSERT ON {table} BEGIN {learn} END",
        f"{index}_deleted": f"AFTER DELETE ON {table} BEGIN {forget} END",
        f"{index}_updated": (
            f"AFTER UPDATE OF {pk}, {columns} ON {table} BEGIN {forget} {learn} END"
        ),
    }


def _create(cursor, model):
    index = index_table(model)
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {index} USING fts5({', '.join(COLUMNS)}, "
        f"content='{model._meta.db_table}', content_rowid='{model._meta.pk.column}', "
        f"tokenize='{TOKENIZER}')"
    )
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {words_table(model)} USING fts5vocab({index}, 'col')"
    )
    for name, body in _triggers(model).items():
        cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    # Rows written while there was no trigger: read them all again.
    cursor.execute(f"INSERT INTO {index} ({index}) VALUES ('rebuild')")


def _drop(cursor, model):
    for name in _triggers(model):
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    cursor.execute(f"DROP TABLE IF EXISTS {words_table(model)}")
    cursor.execute(f"DROP TABLE IF EXISTS {index_table(model)}")


def index_operations(app_label, model_name):
    """``(create, drop)``: functions for ``RunPython`` that create (and fill) or drop the index
    of ``app_label.model_name``. Nothing on other databases."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                _create(cursor, apps.get_model(app_label, model_name))

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                _drop(cursor, apps.get_model(app_label, model_name))

    return create, drop


def repair(models, using="default"):
    """Give back its triggers, and a rebuilt index, to the table of each of ``models`` that
    lost them (run after every ``migrate``): a migration that alters a column makes SQLite copy
    the table, and the copy has no triggers."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master")
        existing = {name for (name,) in cursor.fetchall()}
        for model in models:
            index = index_table(model)
            if index in existing and not existing >= set(_triggers(model)):
                _create(cursor, model)


class Matches(Func):
    """True for the rows whose index entry matches an FTS5 query (``search_text : (...)``).

    Used as a filter on a queryset (``visible.filter(Matches(model, query))``) so that the
    index only narrows what the visible queryset allows; the subquery is run once, not per
    row. The unary ``+`` keeps SQLite from looking each match up by primary key: it would then
    read the row to test its issue, past the long texts SQLite stores before it (twenty times
    slower on the 20-year archive), where the foreign key's index answers without the row."""

    output_field = BooleanField()

    def __init__(self, model, query):
        self.index = index_table(model)
        super().__init__(F("pk"), Value(query))

    def as_sql(self, compiler, connection, **extra_context):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        query_sql, query_params = compiler.compile(self.source_expressions[1])
        sql = f"+{pk_sql} IN (SELECT rowid FROM {self.index} WHERE {self.index} MATCH {query_sql})"
        return sql, [*pk_params, *query_params]


def relevance(model, query, using="default"):
    """``{pk: relevance}`` of the rows matching ``query``, visible or not (the caller keeps only
    the visible ones): FTS5's BM25 of the folded text, turned into a fraction between 0 and 1
    like PostgreSQL's normalised rank."""
    index = index_table(model)
    # bm25() weighs each column: only the folded text counts, as on PostgreSQL's folded rank.
    weights = ", ".join("1.0" if column == "search_text" else "0.0" for column in COLUMNS)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({index}, {weights}) FROM {index} WHERE {index} MATCH %s",
            [query],
        )
        return {pk: max(score, 0) / (max(score, 0) + 1) for pk, score in cursor.fetchall()}


def vocabulary(models, using="default"):
    """Every word of two letters or more in the folded text of ``models``' rows."""
    words = set()
    with connections[using].cursor() as cursor:
        for model in models:
            cursor.execute(
                f"SELECT term FROM {words_table(model)} "
                "WHERE col = 'search_text' AND length(term) > 1"
            )
            words.update(term for (term,) in cursor.fetchall())
    return words


def quote(words):
    """An FTS5 string: one word, or a phrase of several. Words are letters and digits only
    (``core.search`` cuts them so), never a double quote."""
    return '"' + " ".join(words) + '"'
