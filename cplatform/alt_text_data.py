"""Data migrations' helper for the alt text of the hero and image-text blocks (issue 12).

Stored hero and image-text blocks had a picture but no alt text (editors were told to describe the
picture in its title). The blocks now refuse a picture with neither alt text nor "decorative", so
the pages' stored content (and their latest revisions, which the admin form shows) get the alt
text the site used to print: the image's description, else its title (Wagtail's
`default_alt_text`). Plain JSON only, no block classes, so the migration keeps working whatever the
blocks become later.
"""

from __future__ import annotations

import json

PICTURE_BLOCKS = ("hero", "image_text")


def _pictures(stream: list) -> list[dict]:
    """The values of the stream's hero / image-text blocks that have an image and no alt text."""
    return [
        block["value"]
        for block in stream
        if isinstance(block, dict)
        and block.get("type") in PICTURE_BLOCKS
        and isinstance(block.get("value"), dict)
        and block["value"].get("image")
        and not (block["value"].get("alt") or "").strip()
        and not block["value"].get("decorative")
    ]


def _load(raw) -> tuple[list, bool]:
    if isinstance(raw, str):
        try:
            return json.loads(raw or "[]"), True
        except ValueError:
            return [], True
    return (raw if isinstance(raw, list) else []), False


def fill_alt_text(apps, models: dict[str, list[str]]) -> None:
    """For each "app.Model": [stream field names], give every picture without alt text its image's
    description or title, in the pages and in their latest and live revisions."""
    from django.conf import settings

    image_label = getattr(settings, "WAGTAILIMAGES_IMAGE_MODEL", "wagtailimages.Image")
    image_model = apps.get_model(*image_label.split("."))
    Revision = apps.get_model("wagtailcore", "Revision")
    texts: dict[int, str] = {}

    def alt_for(image_id) -> str:
        if image_id not in texts:
            image = image_model.objects.filter(pk=image_id).values("title", "description").first()
            image = image or {}
            texts[image_id] = (image.get("description") or image.get("title") or "")[:250]
        return texts[image_id]

    def fix(raw):
        """(new raw value, changed?) for one stored stream (a list, or its JSON text)."""
        stream, was_text = _load(raw)
        changed = False
        for value in _pictures(stream):
            alt = alt_for(value["image"])
            if alt:
                value["alt"], value["decorative"] = alt, False
                changed = True
        if not changed:
            return raw, False
        return (json.dumps(stream) if was_text else stream), True

    for label, fields in models.items():
        model = apps.get_model(*label.split("."))
        revision_ids: set[int] = set()
        for page in model.objects.all():
            updates = {}
            for name in fields:
                value, changed = fix([dict(block) for block in getattr(page, name).raw_data])
                if changed:
                    updates[name] = value
            if updates:
                model.objects.filter(pk=page.pk).update(**updates)
            revision_ids.update(pk for pk in (page.latest_revision_id, page.live_revision_id) if pk)
        for revision in Revision.objects.filter(pk__in=revision_ids):
            content = revision.content or {}
            changed_any = False
            for name in fields:
                if name in content:
                    content[name], changed = fix(content[name])
                    changed_any = changed_any or changed
            if changed_any:
                Revision.objects.filter(pk=revision.pk).update(content=content)
