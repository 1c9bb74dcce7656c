"""Running SRM in production: the audit trail and structured, personal-data-free logs."""
