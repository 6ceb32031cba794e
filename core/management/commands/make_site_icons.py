import math

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from core.offline import ICON_SIZES

RED = (139, 0, 0)
GOLD = (255, 205, 0)


def star_points(centre, outer, inner):
    """The ten corners of a five-pointed star, the first pointing up."""
    points = []
    for index in range(10):
        radius = outer if index % 2 == 0 else inner
        angle = -math.pi / 2 + index * math.pi / 5
        points.append((centre + radius * math.cos(angle), centre + radius * math.sin(angle)))
    return points


def draw_icon(size):
    """A gold star on the site's red. The star stays inside the middle 60%, the safe zone of
    "maskable" icons that phones crop to a circle or a rounded square."""
    scale = 4  # drawn larger and reduced, for smooth edges
    big = size * scale
    image = Image.new("RGB", (big, big), RED)
    ImageDraw.Draw(image).polygon(star_points(big / 2, big * 0.3, big * 0.12), fill=GOLD)
    return image.resize((size, size), Image.LANCZOS)


class Command(BaseCommand):
    help = _("Draw the icons of the installable web app into static/icons/.")

    def handle(self, *args, **options):
        folder = settings.BASE_DIR / "static" / "icons"
        folder.mkdir(parents=True, exist_ok=True)
        for size in ICON_SIZES:
            path = folder / f"icon-{size}.png"
            draw_icon(size).save(path, "PNG", optimize=True)
            self.stdout.write(str(path.relative_to(settings.BASE_DIR)))
