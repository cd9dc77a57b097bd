"""Spans: evidence pointers, span arithmetic, hashing, sentence segmentation (the bottom layer)."""
