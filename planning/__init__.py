"""Personalised career plans, built from knowledge entries. Plain Python, no Rasa."""
