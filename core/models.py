"""What every searchable model stores for ``core.search`` (entries, documents, news items)."""

from django.contrib.postgres.indexes import OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models.functions import Left

from .postgres import OnPostgreSQL, PostgreSQLGinIndex
from .search import search_columns

# How much of the text (in characters of the search columns) the rank vector holds: a few
# hundred words' worth, so the vector stays small enough to be stored inline in the row.
RANK_PREFIX_CHARS = 500


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

    ``search_rank_vector`` is built the same way from the heading and only the first
    RANK_PREFIX_CHARS characters of the text: PostgreSQL ranks with it, while ``search_vector``
    (through its GIN index) decides what matches. Ranking with the whole vector meant reading a
    ~10 KB compressed (TOASTed) value for every matching row, most rows for a common word, and
    that was most of a search's time; the small vector is stored in the row itself. A text's
    opening (its lead, its first paragraph) says what it is about, so it ranks nearly as well.
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
    search_rank_vector = models.GeneratedField(
        expression=OnPostgreSQL(
            SearchVector("search_title", config="simple", weight="A")
            + SearchVector(Left("search_text", RANK_PREFIX_CHARS), config="simple", weight="B")
            + SearchVector(Left("search_original", RANK_PREFIX_CHARS), config="simple", weight="D")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        abstract = True
        indexes = [
            # Without GIN's pending list (fastupdate): rows written since the last VACUUM would
            # otherwise be found by reading that list and every row's whole vector in it, which
            # doubled a search's database time on a freshly imported archive. Rows are written
            # a few dozen a month; they are read on every search.
            PostgreSQLGinIndex(
                fields=["search_vector"],
                name="%(app_label)s_%(class)s_vector",
                fastupdate=False,
            ),
            # Close spellings when nothing matches a word (pg_trgm word similarity).
            PostgreSQLGinIndex(
                OpClass("search_text", name="gin_trgm_ops"),
                name="%(app_label)s_%(class)s_trigram",
            ),
        ]

    def set_search_text(self, heading, text):
        """Fill the search columns from the plain heading and text, before saving."""
        self.search_title, self.search_text, self.search_original = search_columns(heading, text)
