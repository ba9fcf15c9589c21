"""Readers: published or rendered reports back into the Document model."""
