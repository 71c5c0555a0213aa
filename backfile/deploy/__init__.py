"""Running Backfile on a public server: deployment checks and the settings table."""
