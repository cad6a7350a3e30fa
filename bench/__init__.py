"""Ruta's benchmarks: ``python -m bench [name ...]`` prints figures (see bench/README.md)."""
