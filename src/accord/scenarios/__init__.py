"""Accord's scenarios layer."""
