"""Briefs rendered for people."""
