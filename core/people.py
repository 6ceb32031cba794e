"""How people are named to people: by their full name, never by their login.

A member's full name lives on their profile (``members.Profile.full_name``), reached through the
reverse relation ``user.profile`` so that no app needs to import ``members``; an account without
a profile falls back to the name on the account, then to the login.
"""


def display_name(user):
    """The name to show for ``user`` in pages, mails and the PDF watermark."""
    if user is None:
        return ""
    profile = getattr(user, "profile", None)
    full_name = (getattr(profile, "full_name", "") or "").strip()
    return full_name or user.get_full_name().strip() or user.get_username()
