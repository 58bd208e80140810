"""Calendar feeds: each person's secret, revocable ICS URL with their lessons."""
