"""Many committees, step 1: the ``Committee`` model; the issue's cover lines become
``cover_committee`` and ``cover_board`` and a nullable ``committee`` link is added (filled by
0006, made required by 0007)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import bulletin.committees
import bulletin.models


class Migration(migrations.Migration):
    dependencies = [
        ("bulletin", "0007_scan_review"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Committee",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="First line of the cover, e.g. THÀNH ỦY CAO BẰNG.",
                        max_length=255,
                        verbose_name="committee",
                    ),
                ),
                (
                    "board",
                    models.CharField(
                        default=bulletin.models.default_board,
                        help_text="Second line of the cover, e.g. BAN TUYÊN GIÁO.",
                        max_length=255,
                        verbose_name="board",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="The committee's part of the site's addresses, e.g. “huyen-uy-hoa-an” for /huyen-uy-hoa-an/issues/2024/6/. Lower-case letters without accents, digits and hyphens.",
                        unique=True,
                        validators=[bulletin.committees.validate_committee_slug],
                        verbose_name="short name",
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        help_text="For a district committee, the province above it; its board follows this committee's issues without changing them.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="bulletin.committee",
                        verbose_name="higher committee",
                    ),
                ),
                (
                    "staff",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Editors and leaders who write, review and publish this committee's issues. They see no other committee's issues, except those of the committees below this one, which they may read but not change.",
                        related_name="committees",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="board staff",
                    ),
                ),
            ],
            options={
                "verbose_name": "committee",
                "verbose_name_plural": "committees",
                "ordering": ["name"],
            },
        ),
        migrations.RemoveConstraint(model_name="issue", name="unique_issue_per_publisher_month"),
        migrations.RenameField(
            model_name="issue", old_name="committee", new_name="cover_committee"
        ),
        migrations.RenameField(model_name="issue", old_name="board", new_name="cover_board"),
        migrations.AlterField(
            model_name="issue",
            name="cover_committee",
            field=models.CharField(
                blank=True,
                help_text="First line of the cover, e.g. THÀNH ỦY CAO BẰNG. Left empty, the committee's name.",
                max_length=255,
                verbose_name="committee",
            ),
        ),
        migrations.AlterField(
            model_name="issue",
            name="cover_board",
            field=models.CharField(
                blank=True,
                help_text="Second line of the cover, e.g. BAN TUYÊN GIÁO. Left empty, the committee's.",
                max_length=255,
                verbose_name="board",
            ),
        ),
        migrations.AddField(
            model_name="issue",
            name="committee",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="issues",
                to="bulletin.committee",
            ),
        ),
    ]
