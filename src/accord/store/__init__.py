"""Accord's store layer."""
