"""What a holder (and staff) see of an e-DL application, with reason texts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from motorcred.adapters.db.repositories.applications import ApplicationRow

# state → (zh, en): what the holder reads in the app.
STATE_TEXTS: dict[str, tuple[str, str]] = {
    "refused": ("申请未通过", "the application was refused"),
    "in_review": ("照片审核中，1个工作日内答复", "the photo is being reviewed (one working day)"),
    "approved": ("审核通过，正在生成电子驾驶证", "approved; the e-licence is being generated"),
    "issued": ("电子驾驶证已生成", "the e-licence has been issued"),
    "rejected": ("照片审核未通过", "the photo was rejected in review"),
}

# reason code → (zh, en) headline shown before the reviewer's own words.
REASON_TEXTS: dict[str, tuple[str, str]] = {
    "PHOTO_REJECTED": ("照片不符合要求", "the photo does not meet the licence photo rules"),
    "PHOTO_FLAGGED_MALICIOUS": (
        "照片被认定为恶意提交，电子驾驶证已停止使用，请到车管所处理",
        "the photo was judged deliberately unacceptable; the e-licence is stopped — "
        "visit a vehicle administration office",
    ),
}


@dataclass(frozen=True)
class ApplicationView:
    id: int
    state: str
    photo_path: str
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    refusals: list[dict[str, Any]] = field(default_factory=list)
    reason: dict[str, Any] | None = None
    credential_id: int | None = None
    identity_check: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        zh, en = STATE_TEXTS[self.state]
        return {
            "id": self.id,
            "state": self.state,
            "state_text": {"zh": zh, "en": en},
            "photo_path": self.photo_path,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "review_due_at": None if self.due_at is None else self.due_at.isoformat(),
            "refusals": self.refusals,
            "reason": self.reason,
            "credential_id": self.credential_id,
            "identity_check": self.identity_check,
        }


def view_of(row: ApplicationRow) -> ApplicationView:
    reason = None
    if row.reason_code is not None:
        zh, en = REASON_TEXTS.get(row.reason_code, ("", ""))
        reason = {
            "code": row.reason_code,
            "message": {"zh": zh, "en": en},
            "reviewer_note": row.reason_text,
        }
    identity = None
    if row.identity_check is not None:
        identity = {k: row.identity_check.get(k) for k in ("matched", "score", "provider")}
    return ApplicationView(
        id=row.id,
        state=row.state,
        photo_path=row.photo_path,
        created_at=row.created_at,
        updated_at=row.updated_at,
        due_at=row.due_at,
        refusals=row.refusals,
        reason=reason,
        credential_id=row.credential_id,
        identity_check=identity,
    )
