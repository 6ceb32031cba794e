import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from documents.models import Document, DocumentType
from tests.factories import make_document, make_issuer

pytestmark = pytest.mark.django_db


def test_one_registry_entry_per_document():
    make_document(
        doc_type=DocumentType.DIRECTIVE, number="29-CT/TU", issued_on=datetime.date(2024, 2, 6)
    )
    again = Document(
        doc_type=DocumentType.DIRECTIVE,
        number="29-CT/TU",
        issued_on=datetime.date(2024, 2, 6),
        issuer=make_issuer(),
        subject="lãnh đạo",
    )
    with pytest.raises(ValidationError) as excinfo:
        again.full_clean()
    assert "đã có trong sổ đăng ký" in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        again.save()


def test_citation_reads_like_the_bulletin():
    document = make_document(
        doc_type=DocumentType.PLAN, number="388-KH/TU", issued_on=datetime.date(2024, 4, 15)
    )
    assert document.citation == "Kế hoạch số 388-KH/TU, ngày 15/04/2024 của Thành ủy Cao Bằng"


def test_search_text_folds_diacritics_including_d_stroke():
    document = make_document(
        doc_type=DocumentType.DIRECTIVE,
        number="29-CT/TU",
        subject="lãnh đạo công tác bảo đảm an ninh",
    )
    assert Document.objects.search_folded("chi thi 29").get() == document
    assert Document.objects.search_folded("lanh dao").get() == document
    assert not Document.objects.search_folded("khong co").exists()
