"""Plain helpers with no Django models."""
