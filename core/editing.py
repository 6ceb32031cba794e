"""How content is edited in the admin: no lost update, and no change to a submitted issue.

No lost update: every edited object carries its ``version``. The admin form sends it back as a
hidden field; when the row's version has moved on meanwhile, the form is shown again with the
person's input and a message, and nothing is saved. A successful save moves the version on with
an ``UPDATE ... WHERE version = <the version the form was built from>`` inside the admin's
transaction, so two saves can never both pass.

The freeze: once an issue is submitted its content is read-only in the admin for everyone, until
a reviewer sends it back to draft (see ``bulletin.workflow``); the models say which objects are
frozen (``is_frozen``), so these mixins serve every app.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

VERSION_FIELD = "edit_version"

CONFLICT_MESSAGE = _(
    "This was changed by someone else while you were editing; your input is still here, "
    "review it and save again."
)
FROZEN_MESSAGE = _(
    "This issue has been submitted, so its content can no longer be changed. "
    "A reviewer can send it back to draft."
)


class ConcurrentEdit(Exception):
    """The row moved on between the form's check and its save (a very narrow race)."""


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to overwrite a newer version and content of a frozen issue."""

    edit_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    # Set by the admin for the revision views, where an old version is restored on purpose.
    restoring = False
    _claimed = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Footnotes and photos have no version of their own: they only get the freeze check.
        self.versioned = hasattr(self.instance, "version")
        if not self.versioned:
            del self.fields[VERSION_FIELD]
        elif self.instance.pk:
            self.initial[VERSION_FIELD] = self.instance.version
            self.fields[VERSION_FIELD].initial = self.instance.version

    def _current_version(self):
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if transaction.get_connection(rows.db).in_atomic_block:
            # Held until the admin's transaction ends: nobody saves between check and save.
            rows = rows.select_for_update()
        return rows.values_list("version", flat=True).first()

    def clean(self):
        cleaned_data = super().clean()
        if self.has_changed() and any(
            getattr(owner, "is_frozen", False) for owner in self._owners(cleaned_data)
        ):
            raise ValidationError(FROZEN_MESSAGE, code="frozen")
        expected = cleaned_data.get(VERSION_FIELD)
        skip = not self.versioned or not self.instance.pk or self.restoring
        if skip or expected is None or not self.has_changed():
            return cleaned_data
        current = self._current_version()
        if current is None:
            raise ValidationError(
                _("This was deleted by someone else while you were editing."), code="deleted"
            )
        if current != expected:
            # The next save compares with the version the person has now seen.
            data = self.data.copy()
            data[self.add_prefix(VERSION_FIELD)] = current
            self.data = data
            raise ValidationError(CONFLICT_MESSAGE, code="conflict")
        return cleaned_data

    def _owners(self, cleaned_data):
        """The object itself and any parent chosen in the form: their issues decide the freeze."""
        owners = [self.instance]
        for name in ("issue", "entry", "section", "news_item"):
            if cleaned_data.get(name) is not None:
                owners.append(cleaned_data[name])
        return owners

    def save(self, commit=True):
        # The admin saves with commit=False before it has validated the inlines, and saves the
        # object only if they are valid: it claims the version in save_model instead, so that a
        # page refused for its inlines does not move the version on (and make the person's next
        # save a conflict with nobody).
        if commit:
            self.claim_version()
        return super().save(commit)

    def claim_version(self):
        if self.versioned and self.instance.pk and self.has_changed() and not self._claimed:
            self.instance.version = self._claim_version()
            self._claimed = True

    def _claim_version(self):
        manager = type(self.instance)._default_manager
        rows = manager.filter(pk=self.instance.pk)
        if self.restoring:
            current = rows.values_list("version", flat=True).first() or 0
            rows.update(version=F("version") + 1)
            return current + 1
        expected = self.cleaned_data.get(VERSION_FIELD)
        if expected is None:
            expected = self.instance.version
        if not rows.filter(version=expected).update(version=expected + 1):
            raise ConcurrentEdit
        return expected + 1


class VersionedDeletionMixin:
    """Inline rows deleted from a stale page are refused like stale edits.

    Django skips the validation of a form marked for deletion, so the version check of
    ``VersionedModelForm`` alone let a stale page delete a row someone had just changed. Here a
    deletion is refused when the row's own version moved on (entries), or, for rows without a
    version (photos, footnotes), when the parent's version moved on: every inline change moves
    the parent's version (``save``), so a photo changed on the news item's page is seen.
    """

    def clean(self):
        super().clean()
        deleted = [
            form
            for form in self.forms
            if form.instance.pk and self.can_delete and self._should_delete_form(form)
        ]
        if not deleted:
            return
        stale_rows = any(
            form.has_error(NON_FIELD_ERRORS, "conflict")
            or form.has_error(NON_FIELD_ERRORS, "deleted")
            for form in deleted
        )
        if stale_rows or self._parent_moved_on():
            raise ValidationError(CONFLICT_MESSAGE, code="conflict")
        if any(form.has_error(NON_FIELD_ERRORS, "frozen") for form in deleted):
            raise ValidationError(FROZEN_MESSAGE, code="frozen")

    def _parent_moved_on(self):
        parent = self.instance
        if parent.pk is None or not hasattr(parent, "version"):
            return False
        # The parent's own form is not prefixed; its hidden version is what the page was built
        # from. A page without it (no change permission on the parent) cannot tell.
        try:
            expected = int(self.data.get(VERSION_FIELD, ""))
        except ValueError:
            return False
        rows = type(parent)._default_manager.filter(pk=parent.pk)
        return rows.values_list("version", flat=True).first() != expected

    def save(self, commit=True):
        saved = super().save(commit)
        if commit and (self.new_objects or self.changed_objects or self.deleted_objects):
            parent = self.instance
            if hasattr(parent, "version"):
                type(parent)._default_manager.filter(pk=parent.pk).update(version=F("version") + 1)
        return saved


class VersionedInlineFormSet(VersionedDeletionMixin, BaseInlineFormSet):
    pass


class VersionCheckAdminMixin:
    """For ModelAdmin and inlines: the hidden version field only where the object is editable.
    (``formset`` only concerns inlines; a ModelAdmin ignores it.)"""

    form = VersionedModelForm
    formset = VersionedInlineFormSet

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != VERSION_FIELD]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        versioned = any(f.name == "version" for f in self.model._meta.concrete_fields)
        if versioned and obj is not None and self.has_change_permission(request, obj):
            fieldsets.append((None, {"fields": [VERSION_FIELD], "classes": ["hidden"]}))
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if _is_restoring(request):
            form = type(form.__name__, (form,), {"restoring": True})
        return form

    def get_formset(self, request, obj=None, **kwargs):
        # Another mixin may bring its own formset (the sortable inlines' ordering): the deletion
        # check is added to whichever formset the inline uses.
        base = kwargs.get("formset", self.formset)
        if not issubclass(base, VersionedDeletionMixin):
            kwargs["formset"] = type(base.__name__, (VersionedDeletionMixin, base), {})
        formset = super().get_formset(request, obj, **kwargs)
        if _is_restoring(request):
            formset.form = type(formset.form.__name__, (formset.form,), {"restoring": True})
        return formset

    def save_model(self, request, obj, form, change):
        if isinstance(form, VersionedModelForm):
            form.claim_version()
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEdit:
            messages.error(request, CONFLICT_MESSAGE)
            return HttpResponseRedirect(request.path)


def _is_restoring(request):
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name and match.url_name.endswith(("_revision", "_recover")))


class FrozenContentAdminMixin:
    """Content of a submitted issue is read-only. Content models say so through ``is_frozen``
    (``bulletin.models.IssueContent``); a model without it is never frozen."""

    def _frozen(self, obj):
        return obj is not None and getattr(obj, "is_frozen", False)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)


class FrozenInlineMixin(FrozenContentAdminMixin):
    """Inlines receive the parent object: nothing is added to a frozen issue either."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._frozen(obj)
