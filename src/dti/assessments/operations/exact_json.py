"""Django's JSON serialization with timestamps to the microsecond, for backups.

Django's own JSON encoder (ECMA-262 style) cuts times to the millisecond, so a restored database differed from
the one backed up by up to a millisecond in every timestamp. Reading is Django's own: it takes either form.
"""

from __future__ import annotations

import datetime

from django.core.serializers import json
from django.core.serializers.json import DjangoJSONEncoder

Deserializer = json.Deserializer


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder
