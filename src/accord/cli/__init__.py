"""Accord's cli layer."""
