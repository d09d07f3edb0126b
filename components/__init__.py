"""Custom Rasa graph components, loaded by config.yml (runs in the Rasa environment)."""
