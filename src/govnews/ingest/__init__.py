"""Raw page dumps → articles and sentences: load, clean, split, offices, years, sentences."""
