"""Drive Wagtail's page editor as a browser would: read the form it renders, change a few fields,
post it back with the button an editor clicked.

The editor's StreamFields are drawn by JavaScript, so their inputs are not in the HTML; we write
them the way Wagtail's client-side code does (`<prefix>-count`, `<prefix>-<i>-type/-value/-id/
-deleted/-order`), from the values the editor would start from (the page's latest draft)."""

from __future__ import annotations

from django.urls import reverse
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.test.utils.form_data import querydict_from_html


def block_form_data(block, value, prefix: str) -> dict[str, str]:
    """The POST data Wagtail's StreamField widget sends for `value` of `block`."""
    data: dict[str, str] = {}
    if isinstance(block, blocks.StreamBlock):
        children = list(value or [])
        data[f"{prefix}-count"] = str(len(children))
        for i, child in enumerate(children):
            data |= {
                f"{prefix}-{i}-type": child.block_type,
                f"{prefix}-{i}-id": child.id or "",
                f"{prefix}-{i}-deleted": "",
                f"{prefix}-{i}-order": str(i),
            }
            data |= block_form_data(child.block, child.value, f"{prefix}-{i}-value")
    elif isinstance(block, blocks.ListBlock):
        children = list(value.bound_blocks if value is not None else [])
        data[f"{prefix}-count"] = str(len(children))
        for i, child in enumerate(children):
            data |= {
                f"{prefix}-{i}-id": child.id or "",
                f"{prefix}-{i}-deleted": "",
                f"{prefix}-{i}-order": str(i),
            }
            data |= block_form_data(block.child_block, child.value, f"{prefix}-{i}-value")
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            child_value = value.get(name) if value is not None else child_block.get_default()
            data |= block_form_data(child_block, child_value, f"{prefix}-{name}")
    else:
        state = block.get_form_state(value)
        if isinstance(state, bool):
            if state:
                data[prefix] = "on"
        elif isinstance(state, dict):  # choosers: the chosen object's id
            data[prefix] = str(state.get("id") or "")
        else:
            data[prefix] = "" if state is None else str(state)
    return data


def stream_form_data(page) -> dict[str, str]:
    data: dict[str, str] = {}
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            data |= block_form_data(field.stream_block, getattr(page, field.name), field.name)
    return data


def edit_form(client, page):
    """What the edit view would post if the editor clicked "Save draft" without touching anything."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200, response.status_code
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form").copy()
    draft = page.get_latest_revision_as_object()
    for key, value in stream_form_data(draft).items():
        data[key] = value
    return data


def post_edit(client, page, *, button: str | None = None, **changes):
    """Post the page's edit form with `changes`; `button` is "publish", "submit" or None (save draft)."""
    data = edit_form(client, page)
    for field, value in changes.items():
        data[field] = value
    if button:
        data[f"action-{button}"] = button
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
