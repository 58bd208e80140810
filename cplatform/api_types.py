"""Field types the API schemas share, each described once in the OpenAPI document.

A time zone is a plain string checked on the server (listing the ~600 IANA names as an enum breaks
client generators: `GMT+0`, `GMT-0` and `GMT0` become the same identifier), and a wall-clock time is
`HH:MM[:SS]` without an offset (JSON Schema's `format: time` demands an offset, which the API
refuses)."""

import zoneinfo
from datetime import time
from enum import StrEnum
from functools import cache
from typing import Annotated

from django.conf import settings
from django.utils.translation import gettext
from pydantic import AfterValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

TIME_ZONE_CODE = "unknown_time_zone"


@cache
def known_time_zones() -> frozenset[str]:
    """The IANA zone names this server knows (reading them walks the zone database: done once)."""
    return frozenset(zoneinfo.available_timezones())


def _known_time_zone(value: str) -> str:
    if value not in known_time_zones():
        # Short on purpose: never the list of zones.
        raise PydanticCustomError(
            TIME_ZONE_CODE, gettext("Give an IANA time zone name such as Europe/Madrid.")
        )
    return value


_TIME_ZONE_DOC = "An IANA time zone name (`Europe/Madrid`, `America/Mexico_City`, `UTC`)."

# Input: refused with 422 on the field when the server does not know the zone.
TimeZoneName = Annotated[
    str,
    Field(min_length=1, max_length=64, description=_TIME_ZONE_DOC, examples=["Europe/Madrid"]),
    AfterValidator(_known_time_zone),
]
# Output: the same description, without checking what the database already holds.
TimeZoneNameOut = Annotated[str, Field(description=_TIME_ZONE_DOC, examples=["Europe/Madrid"])]

WALL_CLOCK_PATTERN = r"^([01][0-9]|2[0-4]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"

WallClockTime = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": WALL_CLOCK_PATTERN,
            "description": "A wall-clock time `HH:MM` or `HH:MM:SS`, without an offset.",
            "examples": ["17:00"],
        }
    ),
]


# The site's languages (settings.LANGUAGES): a person's preferred language, the languages of texts.
SiteLanguage = StrEnum("SiteLanguage", {code.upper(): code for code, _name in settings.LANGUAGES})
SiteLanguage.__doc__ = "A language of the site (a person's preferred language, a text's language)."
