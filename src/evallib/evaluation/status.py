"""The six statuses a target can have; light enough for pages that only show them."""

from __future__ import annotations

from enum import StrEnum

from evallib.core.text import t


class Status(StrEnum):
    """Status of a target, ordered from good to unknown."""

    GEHAALD = "gehaald"
    OP_KOERS = "op_koers"
    #: The target lies inside the 95% interval: the data cannot say whether it is met.
    NIET_ZEKER = "niet_zeker"
    NIET_GEHAALD = "niet_gehaald"
    NOG_NIET_MEETBAAR = "nog_niet_meetbaar"
    ONVOLDOENDE_GEGEVENS = "onvoldoende_gegevens"

    def label(self, lang: str = "nl") -> str:
        return t(f"status.{self.value}", lang)
