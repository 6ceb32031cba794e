"""The glossary's first abbreviations, as the bulletin uses them."""

from django.db import migrations

GLOSSARY = {
    "ANTT": "An ninh trật tự",
    "TTATXH": "Trật tự an toàn xã hội",
    "PCTN": "Phòng, chống tham nhũng",
    "CNH": "Công nghiệp hóa",
    "HĐH": "Hiện đại hóa",
    "HĐND": "Hội đồng nhân dân",
    "UBND": "Ủy ban nhân dân",
    "MTTQ": "Mặt trận Tổ quốc",
    "BTV": "Ban Thường vụ",
    "BCH": "Ban Chấp hành",
    "KT-XH": "Kinh tế - xã hội",
    "THPT": "Trung học phổ thông",
    "THCS": "Trung học cơ sở",
    "CT-XH": "Chính trị - xã hội",
    "QP-AN": "Quốc phòng - an ninh",
    "CNTT": "Công nghệ thông tin",
    "ATGT": "An toàn giao thông",
    "PCCC": "Phòng cháy, chữa cháy",
    "BHXH": "Bảo hiểm xã hội",
    "HTX": "Hợp tác xã",
}


def seed(apps, schema_editor):
    Abbreviation = apps.get_model("documents", "Abbreviation")
    for abbreviation, meaning in GLOSSARY.items():
        Abbreviation.objects.get_or_create(abbreviation=abbreviation, defaults={"meaning": meaning})


def unseed(apps, schema_editor):
    apps.get_model("documents", "Abbreviation").objects.filter(abbreviation__in=GLOSSARY).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_search")]

    operations = [migrations.RunPython(seed, unseed)]
