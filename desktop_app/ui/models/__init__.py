"""ui models package."""
