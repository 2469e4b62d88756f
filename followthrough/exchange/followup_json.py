"""The follow-up list as JSON for scripts: stable keys, ISO dates, no locale formatting.

The key names and shapes here are a public interface; add keys, never rename them.
"""

from __future__ import annotations

import json
from typing import Any

from followthrough.core.cadence import QuietCustomer
from followthrough.core.followup import FollowUpItem, FollowUpList

FORMAT_VERSION = 1


def _promise(item: FollowUpItem) -> dict[str, Any]:
    return {
        "promise_id": item.promise_id,
        "title": item.title,
        "due_date": item.due_date.isoformat(),
        "due_time": item.due_time.strftime("%H:%M") if item.due_time else None,
        "days_late": item.days_late,
        "reschedule_count": item.reschedule_count,
        "customer": {
            "id": item.customer_id,
            "name": item.customer_name,
            "organization": item.organization,
            "phone": item.phone,
            "email": item.email,
        },
    }


def _quiet(quiet: QuietCustomer) -> dict[str, Any]:
    return {
        "customer": {
            "id": quiet.customer_id,
            "name": quiet.name,
            "organization": quiet.organization,
            "phone": quiet.phone,
            "email": quiet.email,
        },
        "last_contact": quiet.last_contact.isoformat() if quiet.last_contact else None,
        "days_silent": quiet.days_silent,
        "keep_in_touch_days": quiet.cadence_days,
    }


def followup_to_dict(followup: FollowUpList) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "generated_at": followup.generated_at.isoformat(),
        "today": followup.today.isoformat(),
        "days": followup.days,
        "overdue": [_promise(item) for item in followup.overdue],
        "due_today": [_promise(item) for item in followup.due_today],
        "upcoming": [_promise(item) for item in followup.upcoming],
        "waiting_to_hear": [_quiet(quiet) for quiet in followup.quiet],
    }


def followup_to_json(followup: FollowUpList) -> str:
    return json.dumps(followup_to_dict(followup), ensure_ascii=False, indent=2)
