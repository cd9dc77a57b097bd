"""Extraction: dates, dated events and relations from texts, drafts, evaluation against a gold."""
