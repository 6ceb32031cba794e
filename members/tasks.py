"""Background work of member accounts, run by ``manage.py db_worker`` (django-tasks)."""

from django.contrib.auth import get_user_model
from django_tasks import task

from . import report
from .forms import send_set_password_email


@task()
def send_welcome_emails(user_ids, domain, use_https):
    """Mail each new member a link to set a password. A CSV file of thousands of members must
    not hold the request (and the proxy's timeout) while the mail server answers."""
    for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True):
        send_set_password_email(user, domain=domain, use_https=use_https)


@task()
def send_readership_report():
    """The monthly readership mail, for a scheduler that queues tasks instead of running cron."""
    return report.send_readership_report().sent
