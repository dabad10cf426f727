"""Only real PNG, JPEG and WebP pictures up to 5 MB; clear errors otherwise."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def picture(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def upload(client, name: str, content: bytes, content_type: str, **extra):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("markdownx_upload"), {"image": file}, **(AJAX | extra))


@pytest.mark.parametrize(
    ("kind", "content_type", "extension"),
    [("PNG", "image/png", "png"), ("JPEG", "image/jpeg", "jpg"), ("WEBP", "image/webp", "webp")],
)
def test_png_jpeg_and_webp_pictures_are_accepted(
    editor_client, media_root, kind, content_type, extension
):
    response = upload(editor_client, f"photo.{extension}", picture(kind), content_type)
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![Describe the picture here](/media/editor-images/")
    assert code.endswith(f".{extension})")
    saved = list((media_root / "editor-images").iterdir())
    assert len(saved) == 1
    assert Image.open(saved[0]).format == kind


def test_the_bytes_decide_the_type_not_the_name_or_the_browser(editor_client, media_root):
    response = upload(editor_client, "photo.png", picture("JPEG"), "image/png")
    assert response.json()["image_code"].endswith(".jpg)")


def test_an_svg_renamed_to_png_is_refused(editor_client, media_root):
    response = upload(editor_client, "drawing.png", SVG, "image/png")
    assert response.status_code == 400
    assert "not a picture the site can use" in response.json()["error"]
    assert not (media_root / "editor-images").exists()


def test_an_svg_is_refused_even_when_it_says_it_is_svg(editor_client):
    response = upload(editor_client, "drawing.svg", SVG, "image/svg+xml")
    assert response.status_code == 400
    assert "SVG drawings" in response.json()["error"]


def test_a_gif_and_a_text_file_are_refused(editor_client):
    assert upload(editor_client, "anim.gif", picture("GIF"), "image/gif").status_code == 400
    assert upload(editor_client, "notes.jpg", b"hello " * 100, "image/jpeg").status_code == 400


def test_a_six_megabyte_file_is_refused_with_the_limit_in_the_message(editor_client):
    content = picture("PNG") + b"\0" * (6 * 1024 * 1024)
    response = upload(editor_client, "big.png", content, "image/png")
    assert response.status_code == 400
    assert "the largest allowed is 5.0\xa0MB" in response.json()["error"]


def test_a_form_post_without_ajax_or_without_a_file_gets_json_not_an_error_page(editor_client):
    response = upload(editor_client, "drawing.png", SVG, "image/png", HTTP_X_REQUESTED_WITH="")
    assert response.status_code == 400
    assert editor_client.post(reverse("markdownx_upload"), {}).status_code == 400
    assert editor_client.get(reverse("markdownx_upload")).status_code == 405


def test_visitors_cannot_upload():
    response = upload(Client(), "photo.png", picture("PNG"), "image/png")
    assert response.status_code == 302 and "login" in response["Location"]
