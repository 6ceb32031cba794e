"""Build the POST data of an admin change form from the page the admin rendered, like a browser."""


def _value(bound):
    value = bound.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return value


def form_data(response, **changes):
    """The fields of the admin form and its inline formsets as the page holds them, with
    ``changes`` (field names with their prefix) applied."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        data[form.add_prefix(name)] = _value(form[name])
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = _value(management[name])
        for inline_form in formset.forms:
            for name in inline_form.fields:
                value = _value(inline_form[name])
                if value != "":
                    data[inline_form.add_prefix(name)] = value
    data = {key: value for key, value in data.items() if value != ""}
    data.update(changes)
    return data
