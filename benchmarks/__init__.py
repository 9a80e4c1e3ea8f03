"""Benchmark suite for ctsearch: corpus generator and harness (run by hand, see README.md)."""
