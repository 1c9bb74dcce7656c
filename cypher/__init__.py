"""Every Cypher statement SRM runs, grouped by concern, plus the schema.

Statements are constants (or functions choosing among constants); values always travel as
parameters, and any label or relationship type that must vary comes from an allow-list.
"""
