"""Custom actions served by the rasa-sdk action server (`rasa_sdk --actions actions`)."""
