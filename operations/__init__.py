"""Operations on the whole store: erasure's registry of places, subject access, the
suppression ledger that restores replay."""
