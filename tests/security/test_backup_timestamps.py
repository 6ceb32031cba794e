"""The README's portable backup (dumpdata / loaddata) keeps every timestamp to the microsecond:
the order of workflow steps and revisions, and the ETags of issue pages, depend on them."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from bulletin.models import Issue, Transition
from tests.factories import make_issue, make_user
from tests.test_backup import EXCLUDED, load_demo_data

TIME_FIELDS = (models.DateTimeField, models.TimeField)


def every_timestamp():
    """{(model, natural position, field): value} for every date-time and time of every row."""
    values = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.proxy or label in EXCLUDED or model._meta.app_label in EXCLUDED:
            continue
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, TIME_FIELDS)]
        if not names:
            continue
        for position, row in enumerate(model._default_manager.order_by("pk").values(*names)):
            for name, value in row.items():
                values[(label, position, name)] = value
    return values


@pytest.mark.django_db(transaction=True)
def test_the_dump_and_load_round_trip_keeps_every_timestamp_exactly(tmp_path):
    load_demo_data()
    issue = make_issue(year=2030, month=1)
    exact = datetime.datetime(2024, 6, 1, 8, 30, 15, 123456, tzinfo=datetime.UTC)
    Issue.objects.filter(pk=issue.pk).update(published_at=exact)
    Transition.objects.create(
        issue=issue, from_status="draft", to_status="in_review", by=make_user(), at=exact
    )
    before = every_timestamp()
    with_microseconds = [v for v in before.values() if v and v.microsecond % 1000]
    assert with_microseconds, "the data must hold timestamps finer than a millisecond"
    dump = tmp_path / "bantin.json"

    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        *[arg for label in EXCLUDED for arg in ("-e", label)],
        "-o",
        str(dump),
    )
    call_command("flush", "--noinput")
    call_command("loaddata", str(dump), verbosity=0)

    after = every_timestamp()
    assert after == before
    assert Issue.objects.get(year=2030, month=1).published_at == exact
