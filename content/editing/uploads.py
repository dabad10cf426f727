"""Picture uploads from the Markdown editor: PNG, JPEG or WebP only, 5 MB at most.

The file's own bytes decide what it is (Pillow reads them); the name and the type the browser
claims are ignored, so an SVG or a script renamed to .png is refused. Accepted pictures are
re-encoded by markdownx, which also drops hidden metadata such as a phone's GPS position.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView
from PIL import Image, UnidentifiedImageError

from .checks import ALT_PLACEHOLDER

# Pillow's format name -> (content type, file extension).
ALLOWED_FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "WEBP": ("image/webp", "webp"),
}
# A picture this large (in pixels) is a mistake or an attack (a "decompression bomb").
MAX_PIXELS = 40_000_000
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
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as error:
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
        # What the bytes are, not what the browser said: markdownx re-encodes and names by these.
        upload.content_type = content_type
        upload.name = f"picture.{extension}"
        return upload


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
