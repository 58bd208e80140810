"""Avatars: validated (type, ≤ 5 MB, pixel limits), re-encoded and stripped of EXIF, through the
service, the API (`POST/DELETE /api/v1/me/avatar`) and the profile edit page."""

import io

import pytest
from PIL import Image

from authentication.services import AVATAR_OUTPUT_SIDE, avatar_process, avatar_set
from cplatform.exceptions import ValidationFailed
from tests.authentication import images
from tests.authentication.factories import StudentFactory
from tests.authentication.helpers import auth_header
from tests.conftest import login_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def processed(data: bytes, name="avatar.jpg") -> Image.Image:
    content = avatar_process(images.upload(data, name))
    image = Image.open(io.BytesIO(content.read()))
    image.load()
    return image


def refused(data: bytes, name="avatar.jpg") -> list[str]:
    with pytest.raises(ValidationFailed) as exc:
        avatar_process(images.upload(data, name))
    return exc.value.errors["avatar"]


# --- the service -----------------------------------------------------------------------------


def test_a_photo_with_gps_exif_is_re_encoded_without_any_metadata():
    original = images.jpeg_with_gps_exif()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(images.GPS_IFD)  # the input has GPS
    content = avatar_process(images.upload(original)).read()
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG"
    assert image.size == (AVATAR_OUTPUT_SIDE, AVATAR_OUTPUT_SIDE)
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert b"Exif" not in content
    assert b"SecretPhone" not in content


def test_the_exif_orientation_is_applied_before_it_is_dropped():
    image = processed(images.jpeg_rotated_by_exif()).convert("RGB")
    top = image.getpixel((AVATAR_OUTPUT_SIDE // 2, 20))
    bottom = image.getpixel((AVATAR_OUTPUT_SIDE // 2, AVATAR_OUTPUT_SIDE - 20))
    assert top[0] > 200 and top[2] < 60  # red on top
    assert bottom[2] > 200 and bottom[0] < 60  # blue below


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (images.image_bytes("PNG"), "a.png"),
        (images.image_bytes("WEBP"), "a.webp"),
        (images.animated_gif(), "a.gif"),
        (images.image_bytes("JPEG", size=(32, 32)), "small.jpg"),
    ],
)
def test_png_webp_gif_and_jpeg_are_accepted_and_become_a_square_jpeg(data, name):
    image = processed(data, name)
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert image.size == (AVATAR_OUTPUT_SIDE, AVATAR_OUTPUT_SIDE)


def test_transparency_becomes_white_not_black():
    image = processed(images.transparent_png(), "t.png")
    assert min(image.getpixel((10, 10))) > 240


def test_a_file_over_5_mb_is_refused_before_it_is_read():
    assert refused(images.oversized_jpeg()) == ["The image must be 5 MB or smaller."]


def test_a_file_of_exactly_5_mb_is_accepted():
    data = images.oversized_jpeg(limit=5 * 1024 * 1024 - 1)
    assert len(data) == 5 * 1024 * 1024
    assert processed(data).format == "JPEG"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.4 definitely not an image\n" * 100, "cv.jpg"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "x.svg"),
        (b"", "empty.png"),
        (images.image_bytes("JPEG")[:300], "truncated.jpg"),
    ],
)
def test_a_file_that_is_not_a_valid_image_is_refused(data, name):
    assert refused(data, name) == ["This file is not a valid image."]


@pytest.mark.parametrize("fmt", ["BMP", "TIFF"])
def test_other_image_types_are_refused(fmt):
    assert refused(images.image_bytes(fmt), f"a.{fmt.lower()}") == [
        "Upload a JPEG, PNG, WebP or GIF image."
    ]


def test_a_decompression_bomb_is_refused_without_being_decoded():
    bomb = images.png_bomb()
    assert len(bomb) < 200_000  # tiny on disk, 400 megapixels decoded
    assert refused(bomb, "bomb.png") == ["The image has too many pixels."]


def test_an_image_over_the_pixel_limit_below_pillows_own_guard_is_refused():
    big = images.png_bomb(7_000, 7_000)  # 49 Mpx: over our 40 Mpx, under Pillow's warning level
    assert refused(big, "big.png") == ["The image has too many pixels."]


def test_a_tiny_image_is_refused():
    assert refused(images.image_bytes("PNG", size=(16, 16)), "tiny.png") == [
        "The image must be at least 32 × 32 pixels."
    ]


def test_replacing_an_avatar_deletes_the_old_file_after_commit(django_capture_on_commit_callbacks):
    user = StudentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        avatar_set(user=user, upload=images.upload(images.image_bytes()))
    first = user.avatar.name
    storage = user.avatar.storage
    assert storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        avatar_set(user=user, upload=images.upload(images.image_bytes("PNG"), "b.png"))
    assert user.avatar.name != first
    assert storage.exists(user.avatar.name)
    assert not storage.exists(first)


# --- the API ---------------------------------------------------------------------------------


@pytest.fixture
def student_api(client):
    user = StudentFactory()
    client.defaults.update(auth_header(login_token(client, user.email)))
    client.user = user
    return client


def test_api_upload_stores_a_clean_jpeg_and_returns_its_url(student_api):
    response = student_api.post(
        "/api/v1/me/avatar", {"avatar": images.upload(images.jpeg_with_gps_exif())}
    )
    assert response.status_code == 200, response.content
    url = response.json()["avatar_url"]
    assert url.startswith("http://testserver/media/avatars/")
    assert url.endswith(".jpg")
    student_api.user.refresh_from_db()
    with student_api.user.avatar.open("rb") as stored:
        data = stored.read()
    assert b"Exif" not in data
    assert Image.open(io.BytesIO(data)).size == (AVATAR_OUTPUT_SIDE, AVATAR_OUTPUT_SIDE)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (images.oversized_jpeg(), "big.jpg", "The image must be 5 MB or smaller."),
        (b"hello, I am text", "note.jpg", "This file is not a valid image."),
        (images.png_bomb(), "bomb.png", "The image has too many pixels."),
    ],
)
def test_api_refuses_bad_uploads_with_a_422_and_the_field_error(student_api, data, name, message):
    response = student_api.post("/api/v1/me/avatar", {"avatar": images.upload(data, name)})
    assert response.status_code == 422
    assert response.json()["errors"] == {"avatar": [message]}
    student_api.user.refresh_from_db()
    assert not student_api.user.avatar


def test_api_upload_without_a_file_is_a_422(student_api):
    response = student_api.post("/api/v1/me/avatar", {})
    assert response.status_code == 422
    assert "detail" in response.json()


def test_api_delete_removes_the_avatar(student_api):
    student_api.post("/api/v1/me/avatar", {"avatar": images.upload(images.image_bytes())})
    response = student_api.delete("/api/v1/me/avatar")
    assert response.status_code == 200
    assert response.json()["avatar_url"] is None
    student_api.user.refresh_from_db()
    assert not student_api.user.avatar


def test_anonymous_cannot_upload_an_avatar(client):
    response = client.post("/api/v1/me/avatar", {"avatar": images.upload(images.image_bytes())})
    assert response.status_code == 401


# --- the profile page ------------------------------------------------------------------------


def test_profile_page_upload_stores_a_clean_avatar(client):
    user = StudentFactory()
    client.force_login(user)
    response = client.post(
        "/auth/profile/edit/",
        {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "timezone": "UTC",
            "language": "en",
            "avatar_upload": images.upload(images.jpeg_with_gps_exif()),
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    with user.avatar.open("rb") as stored:
        assert b"SecretPhone" not in stored.read()
    assert user.avatar.url in client.get("/auth/profile/").content.decode()


def test_profile_page_shows_the_same_avatar_errors_as_the_api(client):
    user = StudentFactory()
    client.force_login(user)
    response = client.post(
        "/auth/profile/edit/",
        {
            "timezone": "UTC",
            "language": "en",
            "display_name": "Changed",
            "avatar_upload": images.upload(images.png_bomb(), "bomb.png"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["avatar_upload"] == ["The image has too many pixels."]
    user.refresh_from_db()
    assert not user.avatar
    assert user.display_name != "Changed"  # nothing is saved when the avatar is refused
