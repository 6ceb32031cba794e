from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from bulletin.signals import issue_read

        from .signals import record_reading

        issue_read.connect(record_reading, dispatch_uid="members.readership.record_reading")
