"""The base of every write payload: unknown fields refused, and no A-numbers stored, ever."""

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

# The letter A and 8 or 9 digits, dashes or spaces allowed between them: an alien registration number.
A_NUMBER = re.compile(r"(?<![A-Za-z0-9])[Aa](?:[ -]?\d){8,9}(?![0-9])")

A_NUMBER_MESSAGE = (
    "This text contains something shaped like an A-number (the letter A and 8 or 9 digits). "
    "Demands Tracker never stores immigration case numbers, to keep the people in the records safe; "
    "remove it and send the text again."
)


def contains_a_number(text: str) -> bool:
    return A_NUMBER.search(text) is not None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple, set)):
        return [text for item in value for text in _strings(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    return []


class InputModel(BaseModel):
    """A create or update payload. Every text field is checked for A-numbers and NUL characters."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_unsafe_text(cls, value: Any) -> Any:
        for text in _strings(value):
            if "\x00" in text:
                raise PydanticCustomError("nul_character", "contains a NUL character, which no field accepts")
            if contains_a_number(text):
                raise PydanticCustomError("a_number", A_NUMBER_MESSAGE)
        return value

    def changes(self) -> dict[str, Any]:
        """The fields the caller actually sent, for partial updates."""
        return self.model_dump(exclude_unset=True)
