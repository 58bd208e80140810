"""The JSON shape of an attachment, as listed under a direct message or a room message."""

from django.urls import reverse
from ninja import Field, Schema

from cplatform.api_http import absolute_url


class AttachmentOut(Schema):
    id: int
    name: str = Field(..., description="The file's name as the sender had it.")
    size: int = Field(..., description="In bytes.")
    content_type: str = Field(
        ..., description="What the content was found to be (not what the uploader said)."
    )
    url: str = Field(
        ...,
        description="`GET` it (signed in) for the file: whoever may read the message, else 404.",
        examples=["https://example.org/api/v1/attachments/7"],
    )

    @staticmethod
    def resolve_url(obj):
        return absolute_url(reverse("api:download_attachment", kwargs={"attachment_id": obj.pk}))


ATTACHMENTS_FIELD = Field(..., description="The files sent with the message (prefetched).")
