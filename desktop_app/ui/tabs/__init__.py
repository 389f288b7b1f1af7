"""ui tabs package."""
