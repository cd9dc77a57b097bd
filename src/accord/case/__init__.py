"""Accord's case layer."""
