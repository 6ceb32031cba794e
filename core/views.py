"""Views and view helpers every app of the site uses."""

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from . import search as site_search


def login_or_404(request):
    """The one answer for content this user cannot see, whether it is hidden or does not exist:
    an anonymous visitor is sent to log in (and brought back), a logged-in user gets a plain
    404. Never "hidden" and "missing" told apart, or visitors would learn which months have a
    draft or a scheduled issue, and which document or news numbers exist."""
    if request.user.is_authenticated:
        raise Http404(_("No such page."))
    return redirect_to_login(request.get_full_path())


class LoginOr404Mixin:
    """For detail views whose queryset holds what the user may see: anything it does not find
    gets ``login_or_404``."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return login_or_404(request)


class SafePaginationMixin:
    """Junk or out-of-range page numbers show the nearest page instead of an error."""

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        # The other parameters (filters) carried by the page links.
        params = self.request.GET.copy()
        params.pop(self.page_kwarg, None)
        return super().get_context_data(query_string=params.urlencode(), **kwargs)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), max_length=site_search.MAX_QUERY_LENGTH, required=False, strip=True
    )
    all = forms.BooleanField(label=_("Search every committee I may read"), required=False)
    committee = forms.SlugField(required=False, widget=forms.HiddenInput)


class SearchView(TemplateView):
    """One search over everything the apps registered (see core/search.py), a page of results
    at a time: only the results shown are fetched and highlighted."""

    template_name = "core/search.html"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET or None)
        context = {"form": form, "results": None, "scope": None}
        status = 200
        if form.is_bound:
            if form.is_valid():
                # The reader's own committee unless they ask for all those they may read.
                scope = None
                if not form.cleaned_data["all"]:
                    scope = site_search.reader_scope(
                        request.user, form.cleaned_data["committee"] or None
                    )
                results = site_search.search(form.cleaned_data["q"], request.user, scope=scope)
                # Junk or out-of-range page numbers show the nearest page.
                page = Paginator(results, self.paginate_by).get_page(request.GET.get("page"))
                params = request.GET.copy()
                params.pop("page", None)
                context.update(
                    results=results,
                    scope=scope,
                    page_obj=page,
                    is_paginated=page.has_other_pages(),
                    query_string=params.urlencode(),
                )
            else:
                status = 400
        return self.render_to_response(self.get_context_data(**context), status=status)
