"""Accord's evidence layer."""
