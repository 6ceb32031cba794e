"""What every searchable model stores for ``core.search`` (entries, documents, news items)."""

from django.contrib.postgres.indexes import OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

from .postgres import OnPostgreSQL, PostgreSQLGinIndex
from .search import search_columns


class Searchable(models.Model):
    """Derived search columns, computed in Python when the row is saved (``set_search_text``).

    Each column is a list of words separated by spaces, so Python's regular expressions and
    PostgreSQL's text parser cut them into the same words (the parser reads "29-ct/tu" or
    "06/02/2024" as one token of its own kind, a query word "29" would never meet it):

    - ``search_title``: the heading folded (no tone marks, đ → d); for a document its citation
      and subject. Weighs most.
    - ``search_text``: heading and text folded. What every query word must match.
    - ``search_original``: heading and text lower-cased with their diacritics, so that "chỉ thị"
      typed with its marks prefers "chỉ thị" to "chí" or "thì".

    On PostgreSQL ``search_vector`` is generated from them (title weight A, text B, original D)
    with the ``simple`` configuration: the folding is already done, once, by the same
    ``richtext.fold`` as the query's, on both databases. It is NULL on SQLite, whose search reads
    the columns directly (see ``core.postgres``).
    """

    search_title = models.TextField(editable=False, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    search_original = models.TextField(editable=False, blank=True)
    search_vector = models.GeneratedField(
        expression=OnPostgreSQL(
            SearchVector("search_title", config="simple", weight="A")
            + SearchVector("search_text", config="simple", weight="B")
            + SearchVector("search_original", config="simple", weight="D")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        abstract = True
        indexes = [
            PostgreSQLGinIndex(fields=["search_vector"], name="%(app_label)s_%(class)s_vector"),
            # Close spellings when nothing matches a word (pg_trgm word similarity).
            PostgreSQLGinIndex(
                OpClass("search_text", name="gin_trgm_ops"),
                name="%(app_label)s_%(class)s_trigram",
            ),
        ]

    def set_search_text(self, heading, text):
        """Fill the search columns from the plain heading and text, before saving."""
        self.search_title, self.search_text, self.search_original = search_columns(heading, text)
