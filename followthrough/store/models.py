"""The Peewee models. The schema itself is created by migrations.py, not from here.

All models bind to ``database_proxy``; store.database binds it to a real file at
start-up, which is how tests hand in a temporary database.
"""

from __future__ import annotations

import peewee

from followthrough.store.fields import UtcDateTimeField

database_proxy = peewee.DatabaseProxy()

CUSTOMER_STATUSES = ("lead", "active", "past")
PROMISE_STATUSES = ("open", "kept", "cancelled")
CHANNELS = ("call", "email", "meeting", "message", "visit", "note")
DIRECTIONS = ("in", "out")
REMINDER_STAGES = ("lead", "due")


class BaseModel(peewee.Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class Customer(BaseModel):
    id = peewee.AutoField()
    name = peewee.CharField(max_length=200)
    # Case- and accent-insensitive matching happens in Python (casefold), so the folded
    # form is stored once and indexed rather than recomputed per row in every query.
    name_key = peewee.CharField(max_length=200, index=True)
    organization = peewee.CharField(max_length=200, default="")
    organization_key = peewee.CharField(max_length=200, default="", index=True)
    email = peewee.CharField(max_length=320, default="")
    phone = peewee.CharField(max_length=64, default="")
    phone_digits = peewee.CharField(max_length=64, default="", index=True)
    # Name, organisation, email and #tags folded together: what search-as-you-type scans.
    search_key = peewee.TextField(default="")
    notes = peewee.TextField(default="")
    status = peewee.CharField(max_length=16, default="active")
    keep_in_touch_days = peewee.IntegerField(null=True)
    archived = peewee.BooleanField(default=False)
    # Denormalised from Interaction so "last contact" and "going quiet" stay index
    # lookups at 100k customers with millions of log entries.
    last_contact_at = UtcDateTimeField(null=True, index=True)
    created_at = UtcDateTimeField()
    updated_at = UtcDateTimeField()


class Tag(BaseModel):
    id = peewee.AutoField()
    name = peewee.CharField(max_length=100)
    # SQLite's NOCASE folds ASCII only; "Ärzte" and "ärzte" must be one tag.
    name_key = peewee.CharField(max_length=100, unique=True)


class CustomerTag(BaseModel):
    customer = peewee.ForeignKeyField(Customer, backref="tag_links", on_delete="CASCADE")
    tag = peewee.ForeignKeyField(Tag, backref="customer_links", on_delete="CASCADE")

    class Meta:
        primary_key = peewee.CompositeKey("customer", "tag")


class Promise(BaseModel):
    id = peewee.AutoField()
    customer = peewee.ForeignKeyField(Customer, backref="promises", on_delete="CASCADE")
    customer_id: int
    title = peewee.CharField(max_length=500)
    details = peewee.TextField(default="")
    due_date = peewee.DateField()
    due_time = peewee.TimeField(null=True, formats=["%H:%M:%S", "%H:%M"])
    status = peewee.CharField(max_length=16, default="open")
    original_due_date = peewee.DateField()
    original_due_time = peewee.TimeField(null=True, formats=["%H:%M:%S", "%H:%M"])
    reschedule_count = peewee.IntegerField(default=0)
    cancel_reason = peewee.TextField(default="")
    # Judged once, when the promise is kept, against the local calendar of that moment.
    on_time = peewee.BooleanField(null=True)
    days_late = peewee.IntegerField(null=True)
    # Reminders scheduled before this instant are not owed: the user set the promise up
    # (or moved it) already knowing that moment had passed.
    reminders_from = UtcDateTimeField()
    created_at = UtcDateTimeField()
    updated_at = UtcDateTimeField()
    closed_at = UtcDateTimeField(null=True)


class PromiseChange(BaseModel):
    id = peewee.AutoField()
    promise = peewee.ForeignKeyField(Promise, backref="changes", on_delete="CASCADE")
    promise_id: int
    changed_at = UtcDateTimeField()
    from_date = peewee.DateField()
    from_time = peewee.TimeField(null=True, formats=["%H:%M:%S", "%H:%M"])
    to_date = peewee.DateField()
    to_time = peewee.TimeField(null=True, formats=["%H:%M:%S", "%H:%M"])
    reason = peewee.TextField(default="")
    customer_told = peewee.BooleanField(default=False)
    # A move made after the old deadline had already passed is a slip, not a warning.
    after_deadline = peewee.BooleanField(default=False)


class Interaction(BaseModel):
    id = peewee.AutoField()
    customer = peewee.ForeignKeyField(Customer, backref="interactions", on_delete="CASCADE")
    customer_id: int
    occurred_at = UtcDateTimeField()
    channel = peewee.CharField(max_length=16)
    direction = peewee.CharField(max_length=3)
    summary = peewee.CharField(max_length=500)
    details = peewee.TextField(default="")
    promise = peewee.ForeignKeyField(
        Promise, backref="interactions", null=True, on_delete="SET NULL"
    )
    promise_id: int | None
    created_at = UtcDateTimeField()


class Setting(BaseModel):
    key = peewee.CharField(max_length=64, primary_key=True)
    value = peewee.TextField()


class ReminderState(BaseModel):
    id = peewee.AutoField()
    promise = peewee.ForeignKeyField(Promise, backref="reminder_states", on_delete="CASCADE")
    promise_id: int
    stage = peewee.CharField(max_length=8)
    fired_at = UtcDateTimeField(null=True)
    snoozed_until = UtcDateTimeField(null=True)
    acknowledged_at = UtcDateTimeField(null=True)


class DigestState(BaseModel):
    """The overdue digest is one per local day, not one per promise."""

    id = peewee.AutoField()
    day = peewee.DateField(unique=True)
    fired_at = UtcDateTimeField(null=True)
    snoozed_until = UtcDateTimeField(null=True)
    acknowledged_at = UtcDateTimeField(null=True)


class SchemaVersion(BaseModel):
    version = peewee.IntegerField(primary_key=True)
    applied_at = UtcDateTimeField()


ALL_MODELS: tuple[type[BaseModel], ...] = (
    Customer,
    Tag,
    CustomerTag,
    Promise,
    PromiseChange,
    Interaction,
    Setting,
    ReminderState,
    DigestState,
    SchemaVersion,
)
