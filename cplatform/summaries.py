"""The automatic description: a page's own text, made into sentences a search result can show.

A page's headings, paragraphs, list items and block fields are separate pieces of text; joined as
they are ("Learn Spanish this summerJoin our…"), a heading runs into the next sentence. Each piece
here becomes a sentence of its own (a full stop is added where it ends without one), whitespace is
normalised, entities are decoded (the template escapes once), and the whole is cut at a word
boundary with an ellipsis.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from html.parser import HTMLParser

# What search engines show of a description; the head and the SEO tab's advice use the same number.
DESCRIPTION_LENGTH = 155
TITLE_LENGTH = 60

ELLIPSIS = "…"
# A piece ending with one of these is already a sentence (or leads into the next one).
_SENTENCE_ENDS = ".!?…:;"
# Elements that end a piece of text: headings, paragraphs, list items, table cells, line breaks.
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
# Elements whose text is not page text.
_SKIPPED_TAGS = frozenset({"script", "style", "template"})


class _Pieces(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._current: list[str] = []
        self._skipping = 0

    def _flush(self):
        self.pieces.append("".join(self._current))
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in _SKIPPED_TAGS:
            self._skipping = max(self._skipping - 1, 0)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        if not self._skipping:
            self._current.append(data)

    def close(self):
        super().close()
        self._flush()


def text_pieces(markup: str) -> list[str]:
    """The pieces of text of an HTML fragment (or plain text), one per heading, paragraph, list
    item…, whitespace normalised, empty ones left out."""
    if not markup:
        return []
    if "<" not in markup:  # plain text: its paragraphs are its pieces
        return [
            " ".join(part.split()) for part in html.unescape(markup).split("\n\n") if part.strip()
        ]
    parser = _Pieces()
    parser.feed(str(markup))
    parser.close()
    return [" ".join(piece.split()) for piece in parser.pieces if piece.strip()]


def as_sentences(pieces: Iterable[str]) -> str:
    """The pieces (each HTML or plain text) joined as sentences: a heading gets a full stop rather
    than running into what follows it."""
    sentences = []
    for piece in pieces:
        for text in text_pieces(str(piece or "")):
            sentences.append(text if text[-1] in _SENTENCE_ENDS else f"{text}.")
    return " ".join(sentences)


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """`text` in at most `limit` characters, cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    # At the last space; a single word longer than the limit is cut inside it.
    cut = cut[: cut.rindex(" ")] if " " in cut else cut[: limit - len(ELLIPSIS)]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS


def automatic_description(*pieces: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """The description of a page from its text (each piece HTML or plain text)."""
    return shorten(as_sentences(pieces), limit)
