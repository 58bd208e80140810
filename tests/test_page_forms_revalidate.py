"""Every live page of the demo site, in every language, can be saved again in the admin unchanged.

The shipped pages once held links typed as `/teachers/`, which the link field refused: changing one
word of the home hero failed with three "Enter a valid URL" errors. This rebuilds each page's edit
form the way Wagtail's EditView does (the edit handler's form class, bound to the latest revision as
an object, the parent and the user) and posts back what its widgets would post for the current
values, then asserts the form validates; and, more bluntly, cleans every StreamField value with its
stream block. A block definition that refuses stored content fails here, whichever block it is."""

from __future__ import annotations

import io

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import QueryDict
from django.utils import translation
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from authentication.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_pages(django_db_setup, django_db_blocker):
    """The demo data, loaded once and rolled back (as tests/test_demo_data.py's `demo_site`)."""
    from django.db import transaction
    from django.test import TestCase

    from tests.base_data import ensure_base_data

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_base_data()
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo_data", stdout=io.StringIO())
        pages = [page.specific for page in Page.objects.live().filter(depth__gt=1)]
        yield pages
        transaction.set_rollback(True)


# --- what the admin's widgets post ---------------------------------------------------------------


def block_data(block, value, prefix: str, data: QueryDict) -> None:
    """The fields Wagtail's block widgets post for `value` under `prefix` (the telepath widgets
    write these names: `-count`, `-N-type`, `-N-value`, `-N-order`, `-N-deleted`, `-N-id`)."""
    if isinstance(block, blocks.StreamBlock):
        data[f"{prefix}-count"] = str(len(value))
        for index, child in enumerate(value):
            data[f"{prefix}-{index}-type"] = child.block_type
            data[f"{prefix}-{index}-order"] = str(index)
            data[f"{prefix}-{index}-deleted"] = ""
            data[f"{prefix}-{index}-id"] = child.id or ""
            block_data(child.block, child.value, f"{prefix}-{index}-value", data)
    elif isinstance(block, blocks.ListBlock):
        children = list(value.bound_blocks) if hasattr(value, "bound_blocks") else value
        data[f"{prefix}-count"] = str(len(children))
        for index, child in enumerate(children):
            child_value = getattr(child, "value", child)
            data[f"{prefix}-{index}-order"] = str(index)
            data[f"{prefix}-{index}-deleted"] = ""
            data[f"{prefix}-{index}-id"] = getattr(child, "id", "") or ""
            block_data(block.child_block, child_value, f"{prefix}-{index}-value", data)
    elif isinstance(block, ImageBlock):
        struct = block._image_to_struct_value(value)
        for name, child in block.child_blocks.items():
            block_data(child, struct.get(name), f"{prefix}-{name}", data)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            block_data(child, value.get(name) if value else None, f"{prefix}-{name}", data)
    elif isinstance(block, blocks.ChooserBlock):
        data[prefix] = str(value.pk) if value is not None else ""
    elif isinstance(block, blocks.BooleanBlock):
        if value:
            data[prefix] = "on"
    elif isinstance(block, blocks.FieldBlock):
        form_value = block.value_for_form(value) if value is not None else None
        put(data, prefix, block.field.widget, form_value)
    else:
        raise AssertionError(f"No form data for {type(block).__name__} at {prefix}")


def field_data(bound_field, data: QueryDict) -> None:
    field, name = bound_field.field, bound_field.html_name
    value = bound_field.value()
    if hasattr(field, "block"):  # a StreamField's BlockField
        block_data(field.block, value, name, data)
    else:
        put(data, name, field.widget, value)


def put(data: QueryDict, name: str, widget, value) -> None:
    """What `widget` posts for `value`: a select its options' values (Select.format_value gives a
    list), a checkbox "on" only when ticked, anything else its formatted text."""
    if isinstance(widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
        return
    formatted = widget.format_value(value)
    if isinstance(formatted, list | tuple):
        values = [str(item) for item in formatted if item not in (None, "")]
        if getattr(widget, "allow_multiple_selected", False):
            data.setlist(name, values)
        else:
            data[name] = values[0] if values else ""
    else:
        data[name] = "" if formatted is None else str(formatted)


def form_data(form, data: QueryDict | None = None) -> QueryDict:
    """What the edit form posts when saved unchanged: every field, every inline panel's forms."""
    data = data if data is not None else QueryDict(mutable=True)
    for bound_field in form:
        field_data(bound_field, data)
    for formset in getattr(form, "formsets", {}).values():
        for bound_field in formset.management_form:
            data[bound_field.html_name] = str(bound_field.value())
        for subform in formset.forms:
            form_data(subform, data)
    return data


def edit_form(page, user, data=None):
    """The form of Wagtail's EditView (wagtail/admin/views/pages/edit.py) for `page`."""
    latest = page.get_latest_revision_as_object()
    form_class = page.get_edit_handler().get_form_class()
    kwargs = {"instance": latest, "parent_page": page.get_parent().specific, "for_user": user}
    return form_class(data, {}, **kwargs) if data is not None else form_class(**kwargs)


def messages(error) -> object:
    """A block error's messages by field, else the error's messages."""
    return error.as_json_data() if hasattr(error, "as_json_data") else error.messages


def describe(form) -> str:
    errors = {
        name: [messages(error) for error in errors]
        for name, errors in form.errors.as_data().items()
    }
    for name, formset in getattr(form, "formsets", {}).items():
        if formset.total_error_count():
            errors[name] = [formset.non_form_errors(), formset.errors]
    return "; ".join(f"{name}: {error}" for name, error in errors.items())


# --- the tests -----------------------------------------------------------------------------------


def test_the_demo_site_has_live_pages_in_both_languages(demo_pages):
    languages = {page.locale.language_code for page in demo_pages}
    assert languages == {"en", "es"}
    assert len(demo_pages) > 10


def test_every_block_of_every_live_page_cleans_as_stored(demo_pages):
    failures = []
    for page in demo_pages:
        for field in page._meta.get_fields():
            if isinstance(field, StreamField):
                value = getattr(page, field.name)
                try:
                    field.stream_block.clean(value)
                except ValidationError as error:  # collected: all shown at once
                    failures.append(f"{page.url} ({page.locale}) {field.name}: {messages(error)}")
    assert not failures, "\n".join(failures)


def test_every_live_page_saves_unchanged_through_its_admin_edit_form(demo_pages):
    admin = User.objects.filter(is_superuser=True).first()
    failures = []
    with translation.override("en"):
        for page in demo_pages:
            data = form_data(edit_form(page, admin))
            form = edit_form(page, admin, data)
            if not form.is_valid():
                failures.append(f"{page.url} ({page.locale}): {describe(form)}")
    assert not failures, "\n".join(failures)
