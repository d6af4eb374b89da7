"""Sentences → tokens, theme hits, theme counts and keyness."""
