"""Sentences → figures, figure checks and named measures; keyword-in-context."""
