"""Every admin changelist and add page opens for a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODEL_ADMINS = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)

# Written only by the system: the workflow history, the stored PDFs, the download log, the scan
# imports (made by an upload on the import page), the readings (whose admin page is the
# readership report), and the login-attempt and background-task records of django-axes and
# django-tasks.
SYSTEM_WRITTEN = {
    ("bulletin", "transition"),
    ("bulletin", "rendition"),
    ("bulletin", "download"),
    ("bulletin", "scanimport"),
    ("members", "reading"),
    ("axes", "accessattempt"),
    ("axes", "accessfailurelog"),
    ("axes", "accesslog"),
    ("django_tasks_database", "dbtaskresult"),
}


@pytest.mark.parametrize(("app_label", "model_name"), MODEL_ADMINS)
def test_changelist_opens(admin_client, app_label, model_name):
    response = admin_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("app_label", "model_name"),
    [pair for pair in MODEL_ADMINS if pair not in SYSTEM_WRITTEN],
)
def test_add_page_opens(admin_client, app_label, model_name):
    response = admin_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert response.status_code == 200
    assert b"<form" in response.content


@pytest.mark.parametrize(("app_label", "model_name"), sorted(SYSTEM_WRITTEN))
def test_system_written_models_offer_no_add_page(admin_client, app_label, model_name):
    add_url = reverse(f"admin:{app_label}_{model_name}_add")
    assert admin_client.get(add_url).status_code == 403
    changelist = admin_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert add_url.encode() not in changelist.content


def test_project_models_are_all_registered():
    registered = {label for label, _ in MODEL_ADMINS}
    assert {"bulletin", "documents", "news", "members"} <= registered
