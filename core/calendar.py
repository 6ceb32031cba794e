"""The years an issue, an import or an archive URL may name: one range for the whole site."""

from django.core.validators import MaxValueValidator, MinValueValidator

FIRST_YEAR = 1930  # the Party's founding year: no bulletin is older
LAST_YEAR = 2200
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
