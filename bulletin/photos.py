"""Photo slots: where a news item's photos go in its text, for the site and the PDF alike.

Imported issues keep each photo's caption in the body, as ``<p class="caption-pending">``, where
the printed issue has the photo: the photo's slot. Editors see there where the photos go. Both the
issue page and the PDF put each photo in place of its slot, and the photos whose slot is not in
the text after it, so no caption is shown twice and no photo is lost.

A slot is only a class on a paragraph, and a rich-text editor that does not know the class drops
it (CKEditor did, until settings told it to keep it): the caption then stays as a plain paragraph
and the photo, finding no slot, went to the end with its caption a second time. So every save of a
news item reconciles its slots with its photos (``reconcile_slots``): a plain paragraph that reads
exactly as one of its photos' captions is that photo's slot again, and a slot the editor removed
on purpose takes its photo-to-come with it.
"""

import re

from core.richtext import html_to_text

CAPTION_CLASS = "caption-pending"
# The sanitizer (core.richtext) writes every paragraph as ``<p>`` or ``<p class="...">``.
_SLOT_RE = re.compile(rf'<p class="{CAPTION_CLASS}">(.*?)</p>', re.S)
_PLAIN_PARAGRAPH_RE = re.compile(r"<p>(.*?)</p>", re.S)


def caption_key(text):
    """A caption as compared with its photo: tags, entities, spacing and case left out."""
    return html_to_text(text).casefold()


def slot_keys(body_html):
    """The caption keys of the slots in ``body_html``, in order."""
    return [caption_key(match.group(1)) for match in _SLOT_RE.finditer(body_html or "")]


def restore_slots(body_html, captions):
    """``body_html`` with each plain paragraph that reads exactly as one of ``captions`` (and is
    not already that caption's slot) marked as a slot again. Each caption marks one paragraph at
    most, so a caption quoted twice in the text is not turned into two slots."""
    if not body_html:
        return body_html or ""
    wanted = {}
    for caption in captions:
        key = caption_key(caption)
        if key:
            wanted[key] = wanted.get(key, 0) + 1
    for key in slot_keys(body_html):
        if wanted.get(key):
            wanted[key] -= 1

    def mark(match):
        key = caption_key(match.group(1))
        if wanted.get(key):
            wanted[key] -= 1
            return f'<p class="{CAPTION_CLASS}">{match.group(1)}</p>'
        return match.group(0)

    return _PLAIN_PARAGRAPH_RE.sub(mark, body_html)


def removed_slot_keys(before_html, after_html):
    """The caption keys of the slots ``before_html`` had and ``after_html`` no longer has, as
    slot or as plain paragraph: the captions an editor deleted from the text."""
    remaining = {}
    for key in slot_keys(after_html):
        remaining[key] = remaining.get(key, 0) + 1
    for match in _PLAIN_PARAGRAPH_RE.finditer(after_html or ""):
        key = caption_key(match.group(1))
        remaining[key] = remaining.get(key, 0) + 1
    removed = []
    for key in slot_keys(before_html):
        if remaining.get(key):
            remaining[key] -= 1
        else:
            removed.append(key)
    return removed


def place_photos(body_html, photos, figure):
    """``body_html`` with ``figure(photo)`` (HTML) in place of each photo's slot, and the
    figures of the photos whose slot is not in the text after it, in their order."""
    remaining = list(photos)

    def replace(match):
        key = caption_key(match.group(1))
        for index, photo in enumerate(remaining):
            if caption_key(photo.caption) == key:
                return figure(remaining.pop(index))
        return match.group(0)

    html = _SLOT_RE.sub(replace, body_html)
    return html + "".join(figure(photo) for photo in remaining)
