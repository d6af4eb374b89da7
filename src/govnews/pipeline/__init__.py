"""Orchestration: the build that runs every step, its cache, and writing the tables."""
