"""The intranet site: a demo intranet page carrying the chat widget, and the FAQ self-service pages.

Plain FastAPI with no Rasa imports; it searches the same knowledge index as the bot.
"""
