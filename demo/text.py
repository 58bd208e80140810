"""Bilingual demo text. Every string of the demo content is written once as `T(english, spanish)`;
the English builds the pages, and the pairs form the translation memory wagtail-localize is fed
when the Spanish pages are made (one entry per segment it extracts: a title, a field, a paragraph
or list item of rich text)."""

from __future__ import annotations

from dataclasses import dataclass

MEMORY: dict[str, str] = {}


@dataclass(frozen=True)
class T:
    en: str
    es: str

    def __post_init__(self):
        known = MEMORY.setdefault(self.en, self.es)
        if known != self.es:
            raise ValueError(f"Two Spanish versions of {self.en!r}: {known!r} and {self.es!r}")

    def __str__(self) -> str:
        return self.en


def same(text: str) -> T:
    """A string that reads the same in both languages (a name, a brand)."""
    return T(text, text)


def rich(*parts: tuple[str, T | list[T]]) -> str:
    """Rich text HTML from ("h2" | "h3" | "p", T) and ("ul" | "ol", [T, ...]) parts; each paragraph,
    heading and list item is one segment for wagtail-localize."""
    html = []
    for tag, content in parts:
        if tag in ("ul", "ol"):
            items = "".join(f"<li>{item.en}</li>" for item in content)
            html.append(f"<{tag}>{items}</{tag}>")
        else:
            html.append(f"<{tag}>{content.en}</{tag}>")
    return "".join(html)


def english(value):
    """The English side of a content structure (dicts, lists and T leaves)."""
    if isinstance(value, T):
        return value.en
    if isinstance(value, dict):
        return {key: english(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(english(item) for item in value)
    return value
