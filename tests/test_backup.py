"""A backup is a restore that works: dump the demo data, empty the database, load the dump, and
nothing is lost (see README, Backups). pg_dump/pg_restore need a PostgreSQL server and are shown
in the README; this checks the portable path, `dumpdata` / `loaddata` with natural keys."""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command

from bulletin.importing import import_into_draft
from bulletin.models import Entry, Issue
from documents.models import Document
from news.models import NewsItem, Photo
from tests.factories import make_user

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def load_demo_data():
    """The demo's accounts and the three sample issues, as `make demo` loads them."""
    make_user("bientap", is_staff=True)
    make_user("dangvien")
    make_user("quantri", is_staff=True, is_superuser=True)
    samples = settings.BASE_DIR / "samples"
    manifest = json.loads((samples / "manifest.json").read_text(encoding="utf-8"))
    for name, when in manifest.items():
        if not name.startswith("_"):
            import_into_draft(samples / name, month=when.get("month"), year=when.get("year"))


def snapshot():
    """Every row of every model the dump covers, as it serializes without surrogate keys."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.proxy or label in EXCLUDED or model._meta.app_label in EXCLUDED:
            continue
        rows = json.loads(
            serializers.serialize(
                "json",
                model._default_manager.order_by("pk"),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            )
        )
        state[label] = sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in rows)
    return state


@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_an_empty_database_loses_nothing(tmp_path):
    load_demo_data()
    before = snapshot()
    counts = {label: len(rows) for label, rows in before.items()}
    assert counts["bulletin.issue"] >= 1
    assert counts["bulletin.entry"] >= 3
    assert counts["news.photo"] >= 1
    first_entry = Entry.objects.order_by("pk").first()
    search_text, body_html = first_entry.search_text, first_entry.body_html
    dump = tmp_path / "bantin.json"

    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        *[arg for label in EXCLUDED for arg in ("-e", label)],
        "--indent",
        "1",
        "-o",
        str(dump),
    )
    call_command("flush", "--noinput")
    assert Issue.objects.count() == Document.objects.count() == 0
    call_command("loaddata", str(dump), verbosity=0)

    after = snapshot()
    assert {label: len(rows) for label, rows in after.items()} == counts
    for label in before:
        assert after[label] == before[label], f"{label} differs after the restore"
    restored = Entry.objects.get(pk=first_entry.pk)
    assert (restored.search_text, restored.body_html) == (search_text, body_html)
    assert NewsItem.objects.count() == counts["news.newsitem"]
    assert Photo.objects.count() == counts["news.photo"]
