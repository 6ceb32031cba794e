"""Database objects that exist on PostgreSQL only, declared on the models like any other.

The search of the site keeps a generated ``tsvector`` column and two GIN indexes on PostgreSQL
(``core.models.Searchable``). SQLite has neither ``to_tsvector`` nor GIN indexes, and the same
models and migrations must run on both: CI runs the whole suite on each. These two classes let
the PostgreSQL objects stay ordinary ``GeneratedField``/``Meta.indexes`` declarations (visible to
the ORM and to ``makemigrations``, one set of migrations for both databases) while compiling to
nothing harmful elsewhere: the generated column is NULL, the index is not created.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db.backends.ddl_references import Statement
from django.db.models import Func, GeneratedField
from django.db.models.sql import Query


def _is_postgresql(connection):
    return connection.vendor == "postgresql"


class OnPostgreSQL(Func):
    """The wrapped expression on PostgreSQL, NULL on any other database.

    For a ``GeneratedField`` whose expression only PostgreSQL can compute (``to_tsvector``): on
    SQLite the column exists, always NULL, so the model has the same fields everywhere."""

    template = "%(expressions)s"

    def as_sql(self, compiler, connection, **extra_context):
        if not _is_postgresql(connection):
            return "NULL", []
        return super().as_sql(compiler, connection, **extra_context)


class PostgreSQLGinIndex(GinIndex):
    """A GIN index on PostgreSQL; on other databases, which have no GIN, no index at all.

    The schema editor executes whatever ``create_sql`` returns, so elsewhere it returns an empty
    statement (SQLite accepts it and does nothing) instead of ``CREATE INDEX ... USING gin``."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if not _is_postgresql(schema_editor.connection):
            return Statement("")
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if not _is_postgresql(schema_editor.connection):
            return Statement("")
        return super().remove_sql(model, schema_editor, **kwargs)


# The search column of the first PostgreSQL search: the folded text through the ``bantin`` text
# search configuration, unweighted, beside the ORM (no model declares it). The migrations that
# made it (bulletin/0003, documents|news/0002_search) add it here, those that replace it by
# ``Searchable.search_vector`` drop it here, each undoing the other.


def _legacy_search_vector(model):
    field = GeneratedField(
        expression=SearchVector("search_text", config="bantin"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    field.set_attributes_from_name("search_vector")
    # A field that no model declares: give it the table it is compiled against.
    field.model = model
    field._query = Query(model=model, alias_cols=False)
    return field


def _legacy_trigram_index(model):
    return GinIndex(
        OpClass("search_text", name="gin_trgm_ops"), name=f"{model._meta.db_table}_trgm"
    )


def legacy_search_vector_operations(app_label, model_name):
    """``(drop, restore)``: functions for ``RunPython`` that drop, or create, the legacy column
    of ``app_label.model_name`` and its two GIN indexes. Nothing on other databases."""

    def drop(apps, schema_editor):
        if not _is_postgresql(schema_editor.connection):
            return
        model = apps.get_model(app_label, model_name)
        schema_editor.remove_index(model, _legacy_trigram_index(model))
        # Dropping the column drops its GIN index with it.
        schema_editor.remove_field(model, _legacy_search_vector(model))

    def restore(apps, schema_editor):
        if not _is_postgresql(schema_editor.connection):
            return
        model = apps.get_model(app_label, model_name)
        vector = _legacy_search_vector(model)
        schema_editor.add_field(model, vector)
        schema_editor.execute(
            schema_editor._create_index_sql(
                model, fields=[vector], name=f"{model._meta.db_table}_fts", using=" USING gin"
            )
        )
        schema_editor.add_index(model, _legacy_trigram_index(model))

    return drop, restore
