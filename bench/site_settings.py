"""Settings of bench/site_rps.py: production settings plus a trivial view to compare with."""

from config.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench.site_urls"
