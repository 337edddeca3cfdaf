# Joins main's two 0007 migrations (merged from two branches) so the graph has one leaf.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0007_certificate_traceability"),
        ("certificates", "0007_transcript_pdfs"),
    ]

    operations = []
