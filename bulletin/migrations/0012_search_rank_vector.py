"""The small vector PostgreSQL ranks with (``core.models.Searchable.search_rank_vector``):
the heading and the opening of the text. NULL on SQLite (see ``core.postgres``)."""

import django.contrib.postgres.search
import django.db.models.functions.text
from django.db import migrations, models

import core.postgres


class Migration(migrations.Migration):
    dependencies = [
        ("bulletin", "0011_sqlite_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="search_rank_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=core.postgres.OnPostgreSQL(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.SearchVector(
                                "search_title", config="simple", weight="A"
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                django.db.models.functions.text.Left("search_text", 500),
                                config="simple",
                                weight="B",
                            ),
                            django.contrib.postgres.search.SearchConfig("simple"),
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            django.db.models.functions.text.Left("search_original", 500),
                            config="simple",
                            weight="D",
                        ),
                        django.contrib.postgres.search.SearchConfig("simple"),
                    )
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
    ]
