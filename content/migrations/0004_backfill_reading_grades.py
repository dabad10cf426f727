from django.db import migrations

from content.markdown.readability import reading_grade

MARKDOWN_FIELDS = {
    "page": "intro",
    "section": "body",
    "guide": "body",
    "snippet": "body",
    "drugfacts": "how_it_works",
}


def backfill_reading_grades(apps, schema_editor):
    """Work out the grade of text saved before grades existed (a derived value: no history)."""
    for model_name, field in MARKDOWN_FIELDS.items():
        model = apps.get_model("content", model_name)
        for pk, text in model.objects.filter(reading_grade__isnull=True).values_list("pk", field):
            model.objects.filter(pk=pk).update(reading_grade=reading_grade(text))


class Migration(migrations.Migration):
    dependencies = [("content", "0003_editors_group")]

    operations = [migrations.RunPython(backfill_reading_grades, migrations.RunPython.noop)]
