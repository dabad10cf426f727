"""Uploads: a damaged picture gets the editor's JSON message, no metadata survives, and the
decoded size is bounded."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def editor_client():
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("editor1", is_staff=True))
    return client


def upload(client, name: str, content: bytes, content_type: str):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("markdownx_upload"), {"image": file}, **AJAX)


def saved_picture(media_root) -> Image.Image:
    [path] = list((media_root / "editor-images").iterdir())
    return Image.open(path)


def test_a_damaged_png_gets_the_editors_message_not_a_server_error(editor_client, media_root):
    buffer = io.BytesIO()
    Image.effect_noise((300, 300), 60).convert("RGB").save(buffer, "PNG")
    data = buffer.getvalue()
    damaged = data[:200] + bytes(b ^ 0x55 for b in data[200:400]) + data[400:]
    response = upload(editor_client, "photo.png", damaged, "image/png")
    assert response.status_code == 400
    assert "not a picture the site can use" in response.json()["error"]
    assert not (media_root / "editor-images").exists()


def test_a_cut_off_jpeg_gets_the_editors_message(editor_client):
    buffer = io.BytesIO()
    Image.effect_noise((300, 300), 60).convert("RGB").save(buffer, "JPEG")
    response = upload(editor_client, "photo.jpg", buffer.getvalue()[:2000], "image/jpeg")
    assert response.status_code in (200, 400)  # Pillow may fill in a cut-off JPEG; never a 500
    if response.status_code == 400:
        assert "not a picture" in response.json()["error"]


def test_no_metadata_survives_in_a_jpeg(editor_client, media_root):
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(
        buffer, "JPEG", exif=exif, comment=b"home address: 1 Private Lane"
    )
    assert upload(editor_client, "photo.jpg", buffer.getvalue(), "image/jpeg").status_code == 200
    stored = saved_picture(media_root)
    raw = Path(stored.filename).read_bytes()
    assert b"Private Lane" not in raw and b"SecretCamera" not in raw
    assert "comment" not in stored.info and "exif" not in stored.info
    assert not stored.getexif()


def test_no_text_chunks_survive_in_a_png(editor_client, media_root):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Patient, 1 Private Lane")
    buffer = io.BytesIO()
    Image.new("RGBA", (60, 40), (200, 30, 30, 128)).save(buffer, "PNG", pnginfo=info)
    assert upload(editor_client, "p.png", buffer.getvalue(), "image/png").status_code == 200
    stored = saved_picture(media_root)
    assert "Author" not in stored.info
    assert stored.mode == "RGBA"  # transparency kept


def test_a_picture_whose_decoded_size_is_too_large_is_refused_without_decoding(editor_client):
    """5,000 x 4,000 pixels: 20 megapixels, 80 MB decoded; the file itself is small."""
    buffer = io.BytesIO()
    Image.new("1", (5000, 4000)).save(buffer, "PNG")
    response = upload(editor_client, "wide.png", buffer.getvalue(), "image/png")
    assert response.status_code == 400
    assert "far more than a web page needs" in response.json()["error"]
