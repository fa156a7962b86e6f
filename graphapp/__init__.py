"""Backprop Studio: computational graphs that run forward and backward, step by step."""

__version__ = "0.1.0"
