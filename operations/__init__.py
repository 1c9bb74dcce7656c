"""Operations on the whole store: backup and restore, erasure with its registry of places
and the suppression ledger that restores replay, subject access, the audit trail and
structured, personal-data-free logs."""
