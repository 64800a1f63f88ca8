"""Street-problem photos move from public media to the private case_uploads storage.

Each photo a case holds (``answers["photos"]``, names in the default storage under
``case-photos/``) is copied to ``uploads/<day the case was made>/case-<pk>/`` in the
private storage, becomes a ``CaseAttachment`` and is deleted from media; the
``photos`` answer goes. Whatever is left under ``case-photos/`` afterwards has no
case pointing at it (photos of erased cases and of journeys nobody finished) and is
deleted.
"""

from django.core.files.base import ContentFile
from django.db import migrations

CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
LEGACY_FOLDER = "case-photos"


def _walk(storage, folder):
    if not storage.exists(folder):
        return []
    dirs, files = storage.listdir(folder)
    names = [f"{folder}/{name}" for name in files]
    for sub in dirs:
        names += _walk(storage, f"{folder}/{sub}")
    return names


def move_photos(apps, schema_editor):
    from django.core.files.storage import default_storage, storages

    Case = apps.get_model("services", "Case")
    CaseAttachment = apps.get_model("services", "CaseAttachment")
    private = storages["case_uploads"]
    for case in Case.objects.filter(answers__has_key="photos").iterator():
        photos = case.answers.pop("photos", None) or []
        for index, name in enumerate(photos, start=1):
            if not isinstance(name, str) or not default_storage.exists(name):
                continue
            extension = name.rsplit(".", 1)[-1].lower()
            with default_storage.open(name, "rb") as source:
                data = source.read()
            stored = private.save(
                f"uploads/{case.created_at:%Y-%m-%d}/case-{case.pk}/"
                f"{name.rsplit('/', 1)[-1]}",
                ContentFile(data),
            )
            CaseAttachment.objects.create(
                case=case,
                question="Photo",
                original_name=f"Photo {index}.{extension}",
                file=stored,
                content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
                size=len(data),
            )
            default_storage.delete(name)
        Case.objects.filter(pk=case.pk).update(answers=case.answers)
    for orphan in _walk(default_storage, LEGACY_FOLDER):
        default_storage.delete(orphan)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0007_partner_visibility"),
    ]

    operations = [
        migrations.RunPython(move_photos, migrations.RunPython.noop),
    ]
