from django.contrib import admin

from .models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["full_name", "user", "party_cell"]
    list_filter = ["party_cell"]
    search_fields = ["full_name", "user__email", "party_cell"]
