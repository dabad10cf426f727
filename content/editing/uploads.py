"""Picture uploads from the Markdown editor: PNG, JPEG or WebP only, 5 MB at most.

The file's own bytes decide what it is (Pillow reads them); the name and the type the browser
claims are ignored, so an SVG or a script renamed to .png is refused. The picture is decoded in
full while the form is checked, so a damaged file gets the editor's message, not a server error;
its size in pixels is checked first, from the header, so decoding never takes more than
`MAX_PIXELS` × 4 bytes (JPEGs are decoded at the reduced size they are stored at). It is then
re-encoded from its pixels alone: no metadata survives (GPS position, camera, comments, EXIF,
XMP, colour profiles).
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from markdownx.forms import ImageForm
from markdownx.settings import MARKDOWNX_IMAGE_MAX_SIZE
from markdownx.views import ImageUploadView
from PIL import Image, UnidentifiedImageError

from .checks import ALT_PLACEHOLDER

# Pillow's format name -> (content type, file extension).
ALLOWED_FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "WEBP": ("image/webp", "webp"),
}
# A picture this large (in pixels) is a mistake or an attack (a "decompression bomb"). 16
# megapixels is more than a phone's usual 12; decoded, at most 64 MB (4 bytes a pixel).
MAX_PIXELS = 16_000_000
DECODE_ERRORS = (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError,
                 SyntaxError, EOFError)  # fmt: skip
NOT_A_PICTURE = (
    "This file is not a picture the site can use. Upload a PNG, JPEG or WebP picture "
    "(SVG drawings, PDFs and other files are not accepted)."
)


class SafeImageForm(ImageForm):
    def clean(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            raise ValidationError("Choose a picture to upload.")
        limit = settings.MARKDOWNX_UPLOAD_MAX_SIZE
        if upload.size > limit:
            raise ValidationError(
                f"This picture is {filesizeformat(upload.size)}; the largest allowed is "
                f"{filesizeformat(limit)}. Save it smaller (fewer pixels) and try again."
            )
        try:
            with Image.open(upload) as image:
                kind, (width, height) = image.format, image.size
                image.verify()
        except DECODE_ERRORS as error:
            raise ValidationError(NOT_A_PICTURE) from error
        if kind not in ALLOWED_FORMATS:
            raise ValidationError(NOT_A_PICTURE)
        if width * height > MAX_PIXELS:
            raise ValidationError(
                f"This picture is {width} × {height} pixels, which is far more than a web page "
                "needs. Save it smaller and try again."
            )
        content_type, extension = ALLOWED_FORMATS[kind]
        if content_type not in settings.MARKDOWNX_UPLOAD_CONTENT_TYPES:
            raise ValidationError(NOT_A_PICTURE)
        upload.seek(0)
        try:
            self.reencoded = reencode(upload, kind)
        except DECODE_ERRORS as error:
            raise ValidationError(NOT_A_PICTURE) from error
        upload.seek(0)
        # What the bytes are, not what the browser said: markdownx re-encodes and names by these.
        upload.content_type = content_type
        upload.name = f"picture.{extension}"
        return upload

    def _process_raster(self, image, extension):
        """markdownx's resizing, replaced: the picture was re-encoded in `clean`."""
        buffer = io.BytesIO(self.reencoded)
        buffer.seek(0, io.SEEK_END)  # markdownx reads the size from the position
        return buffer


def reencode(upload, kind: str) -> bytes:
    """The picture decoded, scaled down to the editor's size, and encoded from its pixels only."""
    size = MARKDOWNX_IMAGE_MAX_SIZE.get("size", (500, 500))
    with Image.open(upload) as image:
        if kind == "JPEG":
            image.draft("RGB", size)  # decode at 1/2, 1/4 or 1/8 scale: less memory
        image.load()
        image.thumbnail(size)
        pixels = image.convert(_pixel_mode(image, kind))
    pixels.info = {}
    output = io.BytesIO()
    quality = MARKDOWNX_IMAGE_MAX_SIZE.get("quality", 90)
    pixels.save(output, kind, **({"optimize": True} if kind == "PNG" else {"quality": quality}))
    return output.getvalue()


def _pixel_mode(image: Image.Image, kind: str) -> str:
    if kind == "JPEG":
        return "RGB"
    transparent = image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
    return "RGBA" if transparent else "RGB"


class SafeImageUploadView(ImageUploadView):
    """markdownx's upload view, answering every request with JSON (never a template)."""

    form_class = SafeImageForm
    http_method_names = ["post"]

    def form_invalid(self, form):
        errors = [str(message) for messages in form.errors.values() for message in messages]
        return JsonResponse({"error": " ".join(errors)}, status=400)

    def form_valid(self, form):
        image_path = form.save(commit=True)
        return JsonResponse({"image_code": f"![{ALT_PLACEHOLDER}]({image_path})"})
