"""Django's JSON serializer, keeping times to the microsecond.

Django's encoder cuts date-times and times to milliseconds (ECMAScript's Date format), so a
``dumpdata`` / ``loaddata`` backup (README, Backups) came back with every timestamp changed: the
order of workflow steps or revisions saved within one millisecond, and the ETags built from
them, did not survive. Registered as the "json" format in ``SERIALIZATION_MODULES``; loading
needs nothing new, Django's date parser reads the microseconds.
"""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as DjangoJSONSerializer

__all__ = ["Deserializer", "ExactJSONEncoder", "Serializer"]


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


class Serializer(DjangoJSONSerializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()
