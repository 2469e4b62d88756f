"""Errors the store raises. Each message is a sentence a user can act on."""


class StoreError(Exception):
    """The database cannot be used as it is; the message says why and what to do."""


class SchemaTooNewError(StoreError):
    pass


class NotADatabaseError(StoreError):
    pass
