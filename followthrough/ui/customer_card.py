"""The words of the customer card: phone and email links, tags, cadence and last contact."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QUrl
from PySide6.QtGui import QPalette

from followthrough.core import humanize
from followthrough.core.clock import Clock, today
from followthrough.core.customer_view import CustomerCard
from followthrough.ui import style


def tel_url(phone: str) -> QUrl:
    """tel:+15550102233 (RFC 3966): the digits, a leading + kept, an extension as ;ext=."""
    text = phone.strip()
    lowered = text.casefold()
    extension = ""
    for marker in ("ext.", "ext", "x"):
        at = lowered.find(marker)
        if at > 0:
            extension = "".join(ch for ch in text[at:] if ch.isdigit())
            text = text[:at]
            break
    digits = "".join(ch for ch in text if ch.isdigit())
    number = f"+{digits}" if text.startswith("+") else digits
    return QUrl(f"tel:{number};ext={extension}" if extension else f"tel:{number}")


def mailto_url(email: str) -> QUrl:
    url = QUrl()
    url.setScheme("mailto")
    url.setPath(email.strip())
    return url


def contact_html(card: CustomerCard, palette: QPalette) -> str:
    """☎ phone · ✉ email as tel: and mailto: links, or a hint when there are neither."""
    muted = style.muted_color(palette).name()
    parts = []
    if card.phone:
        href = escape(tel_url(card.phone).toString(), quote=True)
        parts.append(f'☎&nbsp;<a href="{href}">{escape(card.phone)}</a>')
    if card.email:
        href = escape(mailto_url(card.email).toString(), quote=True)
        parts.append(f'✉&nbsp;<a href="{href}">{escape(card.email)}</a>')
    if not parts:
        return f"<span style='color:{muted}'>No phone or email yet — add them with Edit…</span>"
    return " &nbsp;&nbsp; ".join(parts)


def meta_html(card: CustomerCard, clock: Clock, default_days: int, palette: QPalette) -> str:
    """Tags · keep-in-touch cadence · last contact, flagged when it is time to get in touch."""
    muted = style.muted_color(palette).name()
    days = card.keep_in_touch_days
    cadence = f"every {humanize.plural(days, 'day')}" if days else f"default ({default_days} days)"
    tags = escape(" ".join(f"#{tag}" for tag in card.tags))
    parts = [f"<span style='color:{muted}'>Keep in touch:</span> {cadence}"]
    if card.last_contact is None:
        last = "never"
    else:
        last = escape(humanize.ago(card.last_contact, clock.now(), clock.zone))
        silent = (today(clock) - card.last_contact.astimezone(clock.zone).date()).days
        watched = not card.archived and card.status != "past"
        if watched and silent > (days or default_days):
            color = style.due_today_color(palette).name()
            last = f"<span style='color:{color}'>{last} — time to get in touch</span>"
    parts.append(f"<span style='color:{muted}'>Last contact:</span> {last}")
    # Tags get their own line: wrapped mid-phrase, "2 weeks / ago" reads badly.
    cadence_line = " &nbsp;·&nbsp; ".join(parts)
    return f"{tags}<br>{cadence_line}" if tags else cadence_line
