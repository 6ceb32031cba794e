from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from news.models import Photo


class Command(BaseCommand):
    help = _(
        "Make the smaller copies of news photos uploaded before copies existed (or all of "
        "them with --all). New and changed photos get theirs when they are saved."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help=_("Make every photo's copies again.")
        )

    def handle(self, *args, **options):
        photos = Photo.objects.exclude(image="")
        made = 0
        for photo in photos.iterator(chunk_size=50):
            if options["all"] or photo.renditions_of != photo.image.name:
                photo.renditions_of = ""  # forces Photo.save to make them
                photo.save(update_fields=["renditions", "renditions_of"])
                made += 1
        self.stdout.write(_("Copies made for %(count)d photos.") % {"count": made})
