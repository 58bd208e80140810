"""What a person does on a snippet's admin screens, for the tests of the snippets with drafts
(home's menus and testimonials, the blog's authors and categories)."""

from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html


def url(model, view, *args):
    return reverse(
        f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:{view}", args=args
    )


def edit_form(client, obj):
    """What the snippet's edit form posts when the person clicks a button without changing anything."""
    response = client.get(url(type(obj), "edit", obj.pk))
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id="w-editor-form").copy()


def post_edit(client, obj, *, button=None, **changes):
    data = edit_form(client, obj)
    for field, value in changes.items():
        data[field] = value
    if button:
        data[f"action-{button}"] = button
    return client.post(url(type(obj), "edit", obj.pk), data)
